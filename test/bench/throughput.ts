// Scan throughput: a full workspace scan through the engine, next to ripgrep searching
// the same files for the loader names (the floor: reading the bytes and matching text).
import { spawnSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { DEFAULT_EXCLUDES, emptySettings } from '../../server/config/settings';
import { listSourceFiles, scanWorkspace } from '../../server/engine/workspace';

export const LOADER_NAMES = ['from_pretrained', 'pipeline', 'SentenceTransformer', 'CrossEncoder', 'hf_hub_download', 'snapshot_download'];

export interface ThroughputResult {
  corpus: string;
  files: number;
  mb: number;
  engineMs: number;
  mbPerSecond: number;
  references: number;
  unresolved: number;
  findings: number;
  filesWithReferences: number;
  /** Absent when rg is not installed. */
  rg?: { ms: number; matchingLines: number; matchingFiles: number; engineToRg: number };
  runs: { engine: number; rg: number };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function findRg(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

function runRg(rg: string, dir: string): { ms: number; matchingLines: number; matchingFiles: number } {
  // Same files as the engine: only .py (not the .pyc/.so next to them), minus its default excludes.
  const globs = ['*.py', ...DEFAULT_EXCLUDES.map((glob) => `!${glob}`)].flatMap((glob) => ['-g', glob]);
  const args = ['-c', ...globs, ...LOADER_NAMES.flatMap((name) => ['-e', name]), dir];
  const started = performance.now();
  const result = spawnSync(rg, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  // rg exits 1 when nothing matched, which is a valid result here.
  if (result.status !== 0 && result.status !== 1) throw new Error(`rg failed (${result.status}): ${result.stderr}`);
  const counts = result.stdout.split('\n').filter(Boolean).map((line) => Number(line.slice(line.lastIndexOf(':') + 1)));
  return { ms, matchingLines: counts.reduce((a, b) => a + b, 0), matchingFiles: counts.length };
}

export async function measureThroughput(corpus: string, dir: string, engineRuns = 5, rgRuns = 5): Promise<ThroughputResult> {
  const settings = emptySettings();
  const files = await listSourceFiles(dir, settings);
  let bytes = 0;
  for (const file of files) {
    bytes += (await stat(file)).size;
    await readFile(file); // warms the page cache for both tools
  }
  const mb = bytes / 1e6;

  const engineTimes: number[] = [];
  let results: Awaited<ReturnType<typeof scanWorkspace>> = [];
  for (let i = 0; i < engineRuns; i++) {
    const started = performance.now();
    results = await scanWorkspace(dir, { settings, localCommit: () => undefined });
    engineTimes.push(performance.now() - started);
  }
  const engineMs = median(engineTimes);
  const references = results.flatMap((r) => r.references);

  const out: ThroughputResult = {
    corpus,
    files: files.length,
    mb,
    engineMs,
    mbPerSecond: mb / (engineMs / 1000),
    references: references.length,
    unresolved: references.filter((r) => r.modelId === null).length,
    findings: results.reduce((sum, r) => sum + r.findings.length, 0),
    filesWithReferences: results.filter((r) => r.references.length > 0).length,
    runs: { engine: engineRuns, rg: 0 },
  };

  const rg = findRg();
  if (rg) {
    runRg(rg, dir); // warm-up, not timed
    const runs = Array.from({ length: rgRuns }, () => runRg(rg, dir));
    const ms = median(runs.map((r) => r.ms));
    out.rg = { ms, matchingLines: runs[0].matchingLines, matchingFiles: runs[0].matchingFiles, engineToRg: engineMs / ms };
    out.runs.rg = rgRuns;
  }
  return out;
}
