// The fuzzing harness shared by `npm run fuzz` (100,000+ inputs) and the small run inside
// `npm test`. Properties for every input: no exception, every reported range inside its
// file, time bounded by the input's size, memory bounded for the whole run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { emptySettings } from '../../server/config/settings';
import { loadProjectConfig } from '../../server/config/project-config';
import type { Span } from '../../server/core/types';
import { analyzeText, type FileAnalysis } from '../../server/engine/analyze';
import { checkConfig, checkModelData } from '../../server/hub/validate';
import { configFileName, configToml } from './config-inputs';
import { fixtureAnswers, hubAnswer } from './hub-inputs';
import { generatedPython, hostilePython, mutatedPython, realPythonFiles } from './python-inputs';
import { checkNotebookRanges, EXPECTED_NOTEBOOK_NOTE, notebookText } from './notebook-inputs';
import { generatedJavaScript, hostileJavaScript, javascriptFileName } from './javascript-inputs';
import { generatedShell, hostileShell, shellFileName } from './shell-inputs';
import { generatedJson, generatedToml, generatedYaml } from './structured-inputs';

export interface FuzzCounts {
  generatedPython: number;
  hostilePython: number;
  mutatedPython: number;
  config: number;
  hub: number;
  notebook: number;
  javascript: number;
  hostileJavaScript: number;
  shell: number;
  hostileShell: number;
  yaml: number;
  json: number;
  toml: number;
}

/** Per kind of input: how many ran, how much text, and the slowest ones. */
export interface KindStats {
  inputs: number;
  chars: number;
  totalMs: number;
  slowest: { ms: number; chars: number };
  /** Lowest throughput among inputs of at least MIN_RATE_CHARS (small inputs are all overhead). */
  slowestRate: { charsPerSecond: number; ms: number; chars: number } | undefined;
  notes: Record<string, number>;
}

export interface FuzzReport {
  seed: number;
  kinds: Record<keyof FuzzCounts, KindStats>;
  peakRssMb: number;
  corpusFiles: number;
}

/** Any input may take this long plus a millisecond per PER_MS_CHARS characters (10x the slowest seen on a loaded machine). */
export const BASE_MS = 10_000;
export const PER_MS_CHARS = 10;
export const MAX_RSS_MB = 3_000;
const MIN_RATE_CHARS = 10_000;

/** Notes a hostile file may legitimately get; any other note is a scanner failure. */
const EXPECTED_NOTE = /^not scanned: (more than \d+ levels of indentation|parsing took longer than)/;

function emptyStats(): KindStats {
  return { inputs: 0, chars: 0, totalMs: 0, slowest: { ms: 0, chars: 0 }, slowestRate: undefined, notes: {} };
}

function record(stats: KindStats, chars: number, ms: number): void {
  stats.inputs++;
  stats.chars += chars;
  stats.totalMs += ms;
  if (ms > stats.slowest.ms) stats.slowest = { ms, chars };
  if (chars >= MIN_RATE_CHARS) {
    const charsPerSecond = chars / (ms / 1000);
    if (!stats.slowestRate || charsPerSecond < stats.slowestRate.charsPerSecond) stats.slowestRate = { charsPerSecond, ms, chars };
  }
  if (ms > BASE_MS + chars / PER_MS_CHARS) throw new Error(`took ${Math.round(ms)} ms for ${chars} characters`);
}

function checkSpan(span: Span | undefined, length: number, what: string): void {
  if (!span) return;
  const ok = Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= length;
  if (!ok) throw new Error(`${what} ${JSON.stringify(span)} is outside the file (length ${length})`);
}

function checkAnalysis(fileText: string, analysis: FileAnalysis, stats: KindStats): void {
  // A notebook's spans index the module of its code cells, not the file.
  const text = analysis.notebook?.text ?? fileText;
  if (analysis.notebook) checkNotebookRanges(fileText, analysis);
  for (const note of analysis.notes ?? []) {
    if (!EXPECTED_NOTE.test(note.message) && !EXPECTED_NOTEBOOK_NOTE.test(note.message)) throw new Error(`unexpected note: ${note.message}`);
    const kind = note.message.replace(/\d+/g, 'N');
    stats.notes[kind] = (stats.notes[kind] ?? 0) + 1;
  }
  for (const reference of analysis.references) {
    checkSpan(reference.idSpan, text.length, 'idSpan');
    checkSpan(reference.callSpan, text.length, 'callSpan');
    checkSpan({ start: reference.argsEnd, end: reference.argsEnd }, text.length, 'argsEnd');
    checkSpan(reference.revision?.span, text.length, 'revision span');
    for (const option of Object.values(reference.options)) checkSpan(option.span, text.length, 'option span');
    if (reference.idSpan.start < reference.callSpan.start || reference.idSpan.end > reference.callSpan.end) throw new Error('idSpan is outside its call');
  }
  for (const finding of analysis.findings) {
    checkSpan(finding.span, text.length, `${finding.code} span`);
    for (const related of finding.related ?? []) checkSpan(related, text.length, 'related span');
    for (const fix of finding.fixes) for (const edit of fix.edits) checkSpan(edit.span, text.length, 'fix edit');
  }
}

const context = (relativePath: string) => ({ relativePath, settings: emptySettings(), localCommit: () => undefined });

/** Scans each input as a file of the given name (its name picks the scanner). */
async function scanProperty(arbitrary: fc.Arbitrary<string>, runs: number, seed: number, stats: KindStats, fileName: fc.Arbitrary<string> = fc.constant('fuzz.py')): Promise<void> {
  if (runs <= 0) return;
  await fc.assert(
    fc.asyncProperty(arbitrary, fileName, async (text, name) => {
      const start = performance.now();
      const analysis = await analyzeText(text, context(name));
      const ms = performance.now() - start;
      checkAnalysis(text, analysis, stats);
      record(stats, text.length, ms);
    }),
    { numRuns: runs, seed, endOnFailure: true, includeErrorInReport: true },
  );
}

function configProperty(runs: number, seed: number, stats: KindStats): void {
  if (runs <= 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'ptm-lens-fuzz-'));
  try {
    fc.assert(
      fc.property(configToml, configFileName, (toml, name) => {
        const file = join(dir, name);
        writeFileSync(file, toml);
        const start = performance.now();
        const config = loadProjectConfig(file);
        const ms = performance.now() - start;
        if (typeof config.settings !== 'object' || config.settings === null) throw new Error('no settings object');
        for (const problem of config.problems) {
          if (typeof problem !== 'string' || /\n\s+at /.test(problem)) throw new Error(`problem is not one clear line: ${String(problem)}`);
        }
        record(stats, toml.length, ms);
      }),
      { numRuns: runs, seed, endOnFailure: true, includeErrorInReport: true },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hubProperty(runs: number, seed: number, stats: KindStats): void {
  if (runs <= 0) return;
  const seeds = [...fixtureAnswers('info.json'), ...fixtureAnswers('config.json')];
  fc.assert(
    fc.property(hubAnswer(seeds), (answer) => {
      const start = performance.now();
      const model = checkModelData(answer);
      const config = checkConfig(answer);
      const ms = performance.now() - start;
      for (const checked of [model, config]) {
        if (!checked.ok && (typeof checked.problem !== 'string' || !checked.problem)) throw new Error('a refusal without a problem');
      }
      if (model.ok) {
        if (typeof model.value.id !== 'string' || !model.value.id) throw new Error('accepted model info without an id');
        if (!Array.isArray(model.value.tags) || model.value.tags.some((t) => typeof t !== 'string')) throw new Error('accepted tags that are not strings');
        if (!Array.isArray(model.value.siblings)) throw new Error('accepted siblings that are not a list');
        JSON.stringify(model.value);
      }
      record(stats, JSON.stringify(answer)?.length ?? 0, ms);
    }),
    { numRuns: runs, seed, endOnFailure: true, includeErrorInReport: true },
  );
}

/** Runs every property the given number of times; throws with the counterexample on the first failure. */
export async function runFuzz(counts: FuzzCounts, seed: number, progress?: (line: string) => void): Promise<FuzzReport> {
  const kinds: Record<keyof FuzzCounts, KindStats> = {
    generatedPython: emptyStats(), hostilePython: emptyStats(), mutatedPython: emptyStats(), config: emptyStats(), hub: emptyStats(),
    javascript: emptyStats(), hostileJavaScript: emptyStats(), shell: emptyStats(), hostileShell: emptyStats(), yaml: emptyStats(), json: emptyStats(), toml: emptyStats(), notebook: emptyStats(),
  };
  let peakRssMb = 0;
  const checkMemory = () => {
    const rss = process.memoryUsage().rss / 1024 / 1024;
    peakRssMb = Math.max(peakRssMb, rss);
    if (rss > MAX_RSS_MB) throw new Error(`resident memory ${Math.round(rss)} MB exceeds ${MAX_RSS_MB} MB`);
  };
  const corpus = counts.mutatedPython > 0 ? realPythonFiles() : [];
  // Batches, so memory is checked as the run goes.
  const batches = 10;
  for (let batch = 0; batch < batches; batch++) {
    const share = (total: number) => Math.floor(total / batches) + (batch < total % batches ? 1 : 0);
    const batchSeed = seed + batch;
    await scanProperty(generatedPython, share(counts.generatedPython), batchSeed, kinds.generatedPython);
    await scanProperty(hostilePython, share(counts.hostilePython), batchSeed, kinds.hostilePython);
    if (corpus.length) await scanProperty(mutatedPython(corpus), share(counts.mutatedPython), batchSeed, kinds.mutatedPython);
    configProperty(share(counts.config), batchSeed, kinds.config);
    hubProperty(share(counts.hub), batchSeed, kinds.hub);
    await scanProperty(notebookText, share(counts.notebook), batchSeed, kinds.notebook, fc.constant('fuzz.ipynb'));
    await scanProperty(generatedJavaScript, share(counts.javascript), batchSeed, kinds.javascript, javascriptFileName);
    await scanProperty(hostileJavaScript, share(counts.hostileJavaScript), batchSeed, kinds.hostileJavaScript, javascriptFileName);
    await scanProperty(generatedShell, share(counts.shell), batchSeed, kinds.shell, shellFileName);
    await scanProperty(hostileShell, share(counts.hostileShell), batchSeed, kinds.hostileShell, shellFileName);
    await scanProperty(generatedYaml, share(counts.yaml), batchSeed, kinds.yaml, fc.constantFrom('fuzz.yaml', 'fuzz.yml'));
    await scanProperty(generatedJson, share(counts.json), batchSeed, kinds.json, fc.constant('fuzz.json'));
    await scanProperty(generatedToml, share(counts.toml), batchSeed, kinds.toml, fc.constant('fuzz.toml'));
    checkMemory();
    progress?.(`batch ${batch + 1}/${batches}: ${Object.values(kinds).reduce((sum, k) => sum + k.inputs, 0)} inputs, ${Math.round(peakRssMb)} MB peak`);
  }
  return { seed, kinds, peakRssMb, corpusFiles: corpus.length };
}

/** The figures a person reads: counts per kind, total, the slowest input and the lowest throughput. */
export function formatReport(report: FuzzReport): string {
  const lines = [`seed ${report.seed}; corpus of ${report.corpusFiles} real Python files`];
  let total = 0;
  for (const [kind, stats] of Object.entries(report.kinds)) {
    total += stats.inputs;
    const rate = stats.slowestRate ? `; lowest throughput ${Math.round(stats.slowestRate.charsPerSecond / 1024)} KB/s (${stats.slowestRate.chars} chars in ${Math.round(stats.slowestRate.ms)} ms)` : '';
    const notes = Object.entries(stats.notes).map(([message, count]) => `${count} x "${message}"`).join(', ');
    lines.push(
      `${kind}: ${stats.inputs} inputs, ${(stats.chars / 1024 / 1024).toFixed(1)} MB of text, ${(stats.totalMs / 1000).toFixed(1)} s; slowest ${Math.round(stats.slowest.ms)} ms (${stats.slowest.chars} chars)${rate}${notes ? `; notes: ${notes}` : ''}`,
    );
  }
  lines.push(`total: ${total} inputs, 0 exceptions, every range inside its file; peak resident memory ${Math.round(report.peakRssMb)} MB`);
  return lines.join('\n');
}
