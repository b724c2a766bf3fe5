// Workspace scan speed, next to two baselines measured in the same run on the same files:
// ripgrep searching the loader names (the floor: reading bytes and matching text; `grep -rlE`
// when rg is not installed) and a full web-tree-sitter parse of every file that mentions a
// loader (what a scanner without the lexical pre-pass pays before resolving anything).
import { spawnSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { DEFAULT_EXCLUDES, emptySettings } from '../../server/config/settings';
import { listSourceFiles, scanWorkspace, type FileResult } from '../../server/engine/workspace';
import { mightLoadModels } from '../../server/scan/python';
import { createParser } from '../../server/scan/tree-sitter';
import { findRg, LOADER_NAMES, median } from './throughput';

export interface ScaleResult {
  corpus: string;
  files: number;
  mb: number;
  /** Files that mention a loader name (what a substring prefilter lets through). */
  candidateFiles: number;
  candidateMb: number;
  /** scanWorkspace in-process: the fast path (lexical pre-pass, worker threads). */
  engineMs: number;
  mbPerSecond: number;
  /** scanWorkspace in-process on the plain path (whole files parsed, one thread): the "before". */
  plainMs: number;
  /** `ptm-lens scan DIR --offline` as a user runs it (Node start-up included). */
  cliMs: number;
  /** CPU time (user + system, worker threads included) of the median CLI run; less sensitive to a loaded machine than wall time. */
  cliCpuMs?: number;
  /** `node -e 0` timed the same way in the same minutes: Node's own start-up, which every CLI run pays first. */
  nodeStartMs: number;
  references: number;
  findings: number;
  identical: boolean;
  baseline: { tool: string; ms: number; matchingFiles: number };
  /** Full tree-sitter parse of the candidate files, one thread. */
  fullParseMs: number;
  runs: { engine: number; plain: number; cli: number };
}

function timed<T>(run: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = run();
  return { ms: performance.now() - started, value };
}

/** ripgrep, or `grep -rlE` when rg is missing: the files of the tree that mention a loader name. */
export function searchBaseline(dir: string): { tool: string; ms: number; matchingFiles: number } {
  const rg = findRg();
  const names = LOADER_NAMES.join('|');
  const [tool, args] = rg
    ? [rg, ['-l', '-g', '*.py', ...DEFAULT_EXCLUDES.flatMap((glob) => ['-g', `!${glob}`]), '-e', names, dir]]
    : ['grep', ['-rlE', '--include=*.py', names, dir]];
  spawnSync(tool, args); // warm-up
  const runs = Array.from({ length: 5 }, () => timed(() => spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })));
  const out = runs[0].value;
  if (out.status !== 0 && out.status !== 1) throw new Error(`${tool} failed (${out.status}): ${out.stderr}`);
  return { tool: rg ? 'rg' : 'grep -rlE (rg not installed)', ms: median(runs.map((r) => r.ms)), matchingFiles: out.stdout.split('\n').filter(Boolean).length };
}

export function runCli(cliJs: string, dir: string, hubCache: string): number {
  return runCliTimed(cliJs, dir, hubCache).ms;
}

/** Wall time of a CLI scan, and its CPU time when bash can report it (`times`: the children's user and system time). */
export function runCliTimed(cliJs: string, dir: string, hubCache: string): { ms: number; cpuMs?: number } {
  return runNodeTimed([cliJs, 'scan', dir, '--offline', '--format', 'json', '--output', '/dev/null', '--fail-on', 'never'], hubCache, 'ptm-lens scan');
}

/** Node's own start-up as the CLI runs are timed (same wrapper, same environment): the floor of any CLI figure. */
export function runNodeStartTimed(hubCache: string): { ms: number; cpuMs?: number } {
  return runNodeTimed(['-e', '0'], hubCache, 'node -e 0');
}

function runNodeTimed(args: string[], hubCache: string, what: string): { ms: number; cpuMs?: number } {
  const env = { ...process.env, HF_HUB_CACHE: hubCache, HF_HUB_OFFLINE: '1' };
  const bash = spawnSync('bash', ['-c', 'true']).status === 0;
  const { ms, value } = timed(() =>
    bash
      ? spawnSync('bash', ['-c', '"$@"; status=$?; times >&2; exit $status', 'bash', process.execPath, ...args], { encoding: 'utf8', env })
      : spawnSync(process.execPath, args, { encoding: 'utf8', env }),
  );
  if (value.status !== 0) throw new Error(`${what} failed (${value.status}): ${value.stderr}`);
  // The last line of `times` is the children's "user system", e.g. "0m8.120s 0m1.040s".
  const children = bash ? /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(value.stderr) : null;
  const cpuMs = children ? (Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])) * 1000 : undefined;
  return { ms, ...(cpuMs !== undefined ? { cpuMs } : {}) };
}

const strip = (results: FileResult[]) => JSON.stringify(results.map((r) => ({ path: r.relativePath, references: r.references, findings: r.findings })));

export async function measureScale(corpus: string, dir: string, cliJs: string, hubCache: string, runs = { engine: 3, plain: 1, cli: 3 }): Promise<ScaleResult> {
  const settings = emptySettings();
  const files = await listSourceFiles(dir, settings);
  let bytes = 0;
  const candidates: string[] = [];
  for (const file of files) {
    bytes += (await stat(file)).size;
    const text = await readFile(file, 'utf8'); // also warms the page cache for every tool
    if (mightLoadModels(text)) candidates.push(text);
  }
  const options = { settings, localCommit: () => undefined };

  await scanWorkspace(dir, options); // warm-up: worker start-up and JIT are measured by the CLI figure
  const engine: number[] = [];
  let fast: FileResult[] = [];
  for (let i = 0; i < runs.engine; i++) {
    const started = performance.now();
    fast = await scanWorkspace(dir, options);
    engine.push(performance.now() - started);
  }
  const plain: number[] = [];
  let slow: FileResult[] = [];
  for (let i = 0; i < runs.plain; i++) {
    const started = performance.now();
    slow = await scanWorkspace(dir, { ...options, parallel: false, plainParse: true });
    plain.push(performance.now() - started);
  }
  runCli(cliJs, dir, hubCache); // warm-up
  // Node's start-up alone, alternated with the CLI runs so that both see the same load.
  const cliRuns: { ms: number; cpuMs?: number }[] = [];
  const nodeStarts: number[] = [];
  for (let i = 0; i < runs.cli; i++) {
    cliRuns.push(runCliTimed(cliJs, dir, hubCache));
    nodeStarts.push(runNodeStartTimed(hubCache).ms);
  }
  const cli = cliRuns.map((run) => run.ms);
  const cliCpu = cliRuns.flatMap((run) => (run.cpuMs === undefined ? [] : [run.cpuMs]));

  const parser = await createParser('python');
  const fullParse = timed(() => {
    for (const text of candidates) parser.parse(text)?.delete();
  });
  parser.delete();

  const mb = bytes / 1e6;
  const engineMs = median(engine);
  return {
    corpus,
    files: files.length,
    mb,
    candidateFiles: candidates.length,
    candidateMb: candidates.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1e6,
    engineMs,
    mbPerSecond: mb / (engineMs / 1000),
    plainMs: median(plain),
    cliMs: median(cli),
    ...(cliCpu.length ? { cliCpuMs: median(cliCpu) } : {}),
    nodeStartMs: median(nodeStarts),
    references: fast.reduce((sum, r) => sum + r.references.length, 0),
    findings: fast.reduce((sum, r) => sum + r.findings.length, 0),
    identical: strip(fast) === strip(slow),
    baseline: searchBaseline(dir),
    fullParseMs: fullParse.ms,
    runs: { engine: runs.engine, plain: runs.plain, cli: runs.cli },
  };
}
