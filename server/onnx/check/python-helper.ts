// Runs ptm_lens_check.py in the user's Python as a child process: explicit request only
// (callers decide), killed on cancellation or time limit, its result read from a JSON file.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArrayFile } from './arrays';

/** The library the helper loads a Hub model with; `auto` reads the repository's files to tell. */
export type ModelLibrary = 'auto' | 'transformers' | 'sentence-transformers' | 'timm';
export const MODEL_LIBRARIES: readonly ModelLibrary[] = ['auto', 'transformers', 'sentence-transformers', 'timm'];

export interface HelperSpec {
  source: { kind: 'module'; file: string; name: string } | { kind: 'model'; id: string; revision?: string; library?: ModelLibrary };
  onnx: string | null;
  out: string;
  opset: number;
  inputs: number;
  seed: number;
  varyBatch: boolean;
}

export type HelperResult =
  | { status: 'ok'; onnx: string; opset: number; cases: { inputs: ArrayFile[]; outputs: ArrayFile[] }[]; notes: string[]; timings: { exportMs?: number; referenceMs: number }; torch: string }
  | { status: 'missing'; what: string; message: string }
  | { status: 'factory-error' | 'not-cached' | 'reference-error'; message: string; traceback?: string }
  | { status: 'export-crash'; message: string; traceback?: string; timings?: { exportMs: number } };

export class HelperFailure extends Error {}

/** The helper ships next to the bundles (dist/) and lives in the sources for compiled tests. */
export function helperScript(): string {
  const candidates = [join(__dirname, 'ptm_lens_check.py'), join(__dirname, '..', '..', '..', '..', 'server', 'onnx', 'python', 'ptm_lens_check.py'), join(__dirname, '..', 'server', 'onnx', 'python', 'ptm_lens_check.py')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new HelperFailure(`the conversion-check helper ptm_lens_check.py is missing (looked in ${candidates.join(', ')})`);
  return found;
}

export interface HelperRun {
  result: HelperResult;
  /** Wall time of the child process, start-up included. */
  wallMs: number;
}

export async function runHelper(python: string, spec: HelperSpec, options: { signal?: AbortSignal; timeoutMs?: number; onProgress?(message: string): void } = {}): Promise<HelperRun> {
  const specFile = join(spec.out, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const started = performance.now();
  const stderr: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(python, [helperScript(), specFile], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    const timer = options.timeoutMs ? setTimeout(() => { child.kill('SIGKILL'); reject(new HelperFailure(`the check took longer than ${Math.round(options.timeoutMs! / 1000)} s and was stopped`)); }, options.timeoutMs) : undefined;
    const abort = () => { child.kill('SIGKILL'); reject(new HelperFailure('the check was cancelled')); };
    options.signal?.addEventListener('abort', abort, { once: true });
    let buffered = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ptm-lens-progress: ')) options.onProgress?.(line.slice('ptm-lens-progress: '.length));
        else if (stderr.length < 200) stderr.push(line);
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new HelperFailure(error.code === 'ENOENT' ? `no Python at "${python}": set ptmLens.python (or --python) to an interpreter with torch installed` : `cannot start ${python}: ${error.message}`));
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      resolve(exitCode);
    });
  });
  const wallMs = performance.now() - started;
  const resultFile = join(spec.out, 'result.json');
  if (!existsSync(resultFile)) {
    const tail = stderr.filter((l) => l.trim()).slice(-3).join(' | ');
    throw new HelperFailure(`the Python helper stopped without a result (exit ${code})${tail ? `: ${tail}` : ''}`);
  }
  return { result: JSON.parse(readFileSync(resultFile, 'utf8')) as HelperResult, wallMs };
}
