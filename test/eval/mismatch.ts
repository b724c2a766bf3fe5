// Mismatch eval: the naming rules PTM201-205 on name / config.json / weight-layout cases
// (test/eval/naming-cases.json). Each case becomes a fixture model (its safetensors headers
// generated from the dimensions), goes through the fixture Hub and the engine's facts, and
// the codes found (any severity) are scored against the codes expected.
// Runs inside `npm run eval`, or alone: `node out/test/eval/mismatch.js`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubFacts } from '../../server/engine/model-facts';
import { FixtureHub, type FixtureModel, type FixtureSet } from '../../server/hub/fixture';
import { safetensorsFixture, type FixtureFile } from '../../server/hub/fixture-files';
import { assessName, type NamingCode } from '../../server/naming/assess';
import { layoutTensors, safetensorsHeaderFor, shardedHeaders, type LayoutSpec } from '../fixtures/hub/safetensors-layouts';
import { prf, type EvalResult, type EvalSection } from './registry';

export interface MismatchCase {
  id: string;
  config?: Record<string, unknown>;
  layout?: LayoutSpec;
  /** Shards of the layout (sharded checkpoint with an index); default one model.safetensors. */
  shards?: number;
  pipeline?: string;
  /** Other repository files. */
  files?: string[];
  /** The Hub's safetensors parameter count; default the layout's. */
  hubTotal?: number;
  hubDtypes?: Record<string, number>;
  expect: NamingCode[];
  why?: string;
}

export const CODES: NamingCode[] = ['PTM201', 'PTM202', 'PTM203', 'PTM204', 'PTM205'];
export const PRECISION_TARGET = 0.9;

export function loadCases(): MismatchCase[] {
  const file = join(__dirname, '..', '..', '..', 'test', 'eval', 'naming-cases.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { cases: MismatchCase[] }).cases;
}

function fixtureModel(c: MismatchCase): FixtureModel {
  const files = new Map<string, FixtureFile>();
  const names = [...(c.files ?? []), 'README.md'];
  if (c.config) names.push('config.json');
  if (c.layout && (c.shards ?? 1) > 1) {
    const { index, headers } = shardedHeaders(c.layout, c.shards!);
    files.set('model.safetensors.index.json', { kind: 'raw', bytes: Buffer.from(JSON.stringify(index)) });
    for (const [file, header] of Object.entries(headers)) files.set(file, safetensorsFixture(header));
  } else if (c.layout) {
    files.set('model.safetensors', safetensorsFixture(safetensorsHeaderFor(c.layout)));
  }
  names.push(...files.keys());
  const layoutTotal = c.layout ? layoutTensors(c.layout).reduce((sum, [, shape]) => sum + shape.reduce((a, b) => a * b, 1), 0) : undefined;
  const total = c.hubTotal ?? layoutTotal;
  const dtypes = c.hubDtypes ?? (total ? { [c.layout?.dtype ?? 'F32']: total } : undefined);
  return {
    id: c.id,
    info: {
      _fixture: 'generated for the mismatch eval',
      id: c.id,
      sha: 'e'.repeat(40),
      private: false,
      disabled: false,
      gated: false,
      tags: [],
      siblings: names.map((rfilename) => ({ rfilename })),
      ...(c.pipeline ? { pipeline_tag: c.pipeline } : {}),
      ...(total && dtypes ? { safetensors: { parameters: dtypes, total } } : {}),
      ...(c.config ? { config: { model_type: c.config.model_type, architectures: c.config.architectures } } : {}),
    },
    ...(c.config ? { config: c.config } : {}),
    readme: `# ${c.id}\n`,
    files,
  };
}

export interface CaseOutcome {
  case: MismatchCase;
  found: { code: NamingCode; severity: string; message: string }[];
}

/** Runs every case through the fixture Hub and the facts the engine gathers. */
export async function runCases(cases: MismatchCase[] = loadCases()): Promise<CaseOutcome[]> {
  const set: FixtureSet = { models: new Map(), aliases: new Map() };
  for (const c of cases) set.models.set(c.id.toLowerCase(), fixtureModel(c));
  const facts = new HubFacts(new FixtureHub(set));
  const out: CaseOutcome[] = [];
  for (const c of cases) {
    const assessment = assessName(await facts.get(c.id));
    const found = Object.entries(assessment?.mismatches ?? {}).map(([code, m]) => ({ code: code as NamingCode, severity: m.severity, message: m.message }));
    out.push({ case: c, found });
  }
  return out;
}

export interface Scores {
  cases: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  perCode: Record<string, { tp: number; fp: number; fn: number; precision: number; recall: number }>;
  /** True negatives: cases expecting nothing that got nothing. */
  cleanNegatives: number;
  negatives: number;
}

export function score(outcomes: CaseOutcome[]): Scores {
  const perCode: Scores['perCode'] = {};
  let tp = 0, fp = 0, fn = 0;
  for (const code of CODES) {
    let t = 0, f = 0, n = 0;
    for (const o of outcomes) {
      const expected = o.case.expect.includes(code);
      const found = o.found.some((x) => x.code === code);
      if (expected && found) t++;
      else if (found) f++;
      else if (expected) n++;
    }
    const s = prf(t, f, n);
    perCode[code] = { tp: t, fp: f, fn: n, precision: s.precision, recall: s.recall };
    tp += t; fp += f; fn += n;
  }
  const all = prf(tp, fp, fn);
  const negatives = outcomes.filter((o) => !o.case.expect.length);
  return { cases: outcomes.length, tp, fp, fn, ...all, perCode, negatives: negatives.length, cleanNegatives: negatives.filter((o) => !o.found.length).length };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export const mismatchSection: EvalSection = {
  title: 'Naming mismatches (PTM201-205) on name / config / weight-layout cases',
  async run({ showErrors }): Promise<EvalResult> {
    const outcomes = await runCases();
    const s = score(outcomes);
    const lines = [
      `${s.cases} cases (${s.negatives} expecting no finding); findings of any severity count.`,
      `precision ${pct(s.precision)}  recall ${pct(s.recall)}  F1 ${pct(s.f1)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn}); true negatives kept clean: ${s.cleanNegatives}/${s.negatives}`,
      ...CODES.map((code) => {
        const c = s.perCode[code];
        return `  ${code}: precision ${pct(c.precision)}  recall ${pct(c.recall)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;
      }),
    ];
    if (showErrors) {
      for (const o of outcomes) {
        const got = o.found.map((f) => f.code).sort().join(',');
        if (got !== [...o.case.expect].sort().join(',')) lines.push(`  ${o.case.id}: expected [${o.case.expect.join(', ')}], found [${o.found.map((f) => `${f.code} ${f.severity}: ${f.message}`).join(' | ')}]`);
      }
    }
    const failures = s.precision < PRECISION_TARGET ? [`mismatch precision ${pct(s.precision)} is below ${pct(PRECISION_TARGET)}`] : [];
    return { lines, failures };
  },
};

if (require.main === module) {
  void Promise.resolve(mismatchSection.run({ showErrors: process.argv.includes('--errors') })).then((r) => {
    process.stdout.write(`== ${mismatchSection.title}\n${r.lines.join('\n')}\n`);
    for (const f of r.failures) process.stdout.write(`TARGET MISSED: ${f}\n`);
    process.exitCode = r.failures.length ? 1 : 0;
  });
}
