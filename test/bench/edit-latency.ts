// Re-analysis latency alone (the bench's section 2 without the rest): a few runs of
// measureLatency on the 5,000-line file, each beside a whole fresh tree-sitter parse of the
// same file measured in the same run. `node out/test/bench/edit-latency.js [runs] [edits]`.
import { performance } from 'node:perf_hooks';
import { buildLargeFile, stdlibDir } from './corpus';
import { measureLatency, percentile } from './latency';
import { createParser } from '../../server/scan/tree-sitter';

const SEED = 20240601;

async function fullParseMs(text: string, times: number): Promise<{ wall: number; cpu: number }> {
  const parser = await createParser('python', 'baseline');
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < times; i++) {
    const used = process.cpuUsage();
    const started = performance.now();
    parser.parse(text)?.delete();
    wall.push(performance.now() - started);
    const spent = process.cpuUsage(used);
    cpu.push((spent.user + spent.system) / 1000);
  }
  parser.delete();
  return { wall: percentile(wall, 50), cpu: percentile(cpu, 50) };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const edits = Number(process.argv[3] ?? 60);
  const { text } = await buildLargeFile(stdlibDir(), 5000, SEED);
  const round = (n: number) => Math.round(n * 10) / 10;
  for (let run = 0; run < runs; run++) {
    const parse = await fullParseMs(text, 5);
    for (const incremental of [true, false]) {
      const r = await measureLatency(text, edits, 7 + run, incremental);
      console.log(
        JSON.stringify({
          run,
          mode: incremental ? 'incremental' : 'fresh',
          p50Ms: round(r.p50Ms),
          p95Ms: round(r.p95Ms),
          maxMs: round(r.maxMs),
          cpuP50Ms: round(r.cpuP50Ms),
          cpuP95Ms: round(r.cpuP95Ms),
          cpuMeanMs: round(r.cpuMeanMs),
          fullParseMs: round(parse.wall),
          fullParseCpuMs: round(parse.cpu),
          p50VsParse: round(r.p50Ms / parse.wall),
          p95VsParse: round(r.p95Ms / parse.wall),
          editsWithParseError: r.editsWithParseError,
          coldMs: round(r.coldMs),
          openMs: round(r.openMs),
          ...(r.scans ? { scans: r.scans } : {}),
          slowest: r.slowest,
        }),
      );
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
