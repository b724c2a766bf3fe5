// `npm run fuzz`: the long run. Options: --inputs N (total of the Python, config and Hub
// inputs, default 110,000), --per-language N (inputs for each of JavaScript/TypeScript,
// shell, YAML, JSON and TOML, default 100,000; hostile shapes add 1% more), --notebooks N
// (default 100,000), --seed S.
import { formatReport, runFuzz, type FuzzCounts } from './harness';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

/** Shares of the total: scanner inputs cost most, so they get fewer but larger runs. */
const SHARES = { generatedPython: 0.3, hostilePython: 0.002, mutatedPython: 0.07, config: 0.25, hub: 0.378 };
/** Notebooks get their own 100,000 on top of the shares (--notebooks N to change). */
const NOTEBOOKS = 100_000;

async function main(): Promise<void> {
  const total = Number(option('--inputs') ?? 110_000);
  const seed = Number(option('--seed') ?? Math.floor(Math.random() * 2 ** 31));
  const perLanguage = Number(option('--per-language') ?? 100_000);
  const counts: FuzzCounts = {
    ...(Object.fromEntries(Object.entries(SHARES).map(([kind, share]) => [kind, Math.round(total * share)])) as typeof SHARES),
    javascript: perLanguage,
    hostileJavaScript: Math.round(perLanguage / 100),
    shell: perLanguage,
    hostileShell: Math.round(perLanguage / 100),
    yaml: perLanguage,
    json: perLanguage,
    toml: perLanguage,
    notebook: Number(option('--notebooks') ?? NOTEBOOKS),
  };
  console.log(`fuzzing with seed ${seed}: ${JSON.stringify(counts)}`);
  const started = Date.now();
  const report = await runFuzz(counts, seed, (line) => console.log(line));
  console.log(formatReport(report));
  console.log(`wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
