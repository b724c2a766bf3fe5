// Scores the model-name parser against test/eval/names.json: per category precision, recall
// and F1 over components (a component counts when its text span and its category both match).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORIES } from '../../server/naming/categories';
import { parseModelName, splitModelId, type NameCategory } from '../../server/naming/parse-name';
import { prf, type EvalResult, type EvalSection } from './registry';

export interface LabelledName {
  modelId: string;
  split: 'tune' | 'heldout';
  components: Array<{ text: string; category: NameCategory }>;
}

export const NAMES_FILE = join(__dirname, '..', '..', '..', 'test', 'eval', 'names.json');

export function loadLabelledNames(): LabelledName[] {
  return (JSON.parse(readFileSync(NAMES_FILE, 'utf8')) as { names: LabelledName[] }).names;
}

/** Components as "start:end:category" keys; the labels give text only, found in order. */
function expectedKeys(entry: LabelledName): string[] {
  const { name } = splitModelId(entry.modelId);
  let from = 0;
  return entry.components.map((c) => {
    const start = name.indexOf(c.text, from);
    if (start < 0) throw new Error(`${entry.modelId}: "${c.text}" is not in the name after offset ${from}`);
    from = start + c.text.length;
    return `${start}:${from}:${c.category}`;
  });
}

export interface CategoryScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface NamesScore {
  names: number;
  exact: number;
  byCategory: Record<NameCategory, CategoryScore>;
  /** Names whose parse differs from the label, with both parses. */
  errors: Array<{ modelId: string; expected: string; actual: string }>;
}

export function scoreNames(entries: LabelledName[]): NamesScore {
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<NameCategory, { tp: number; fp: number; fn: number }>;
  const errors: NamesScore['errors'] = [];
  let exact = 0;
  for (const entry of entries) {
    const expected = new Set(expectedKeys(entry));
    const parsed = parseModelName(entry.modelId);
    const actual = new Set(parsed.components.map((c) => `${c.start}:${c.end}:${c.category}`));
    for (const key of actual) counts[key.split(':')[2] as NameCategory][expected.has(key) ? 'tp' : 'fp']++;
    for (const key of expected) if (!actual.has(key)) counts[key.split(':')[2] as NameCategory].fn++;
    const same = expected.size === actual.size && [...expected].every((k) => actual.has(k));
    if (same) exact++;
    else {
      errors.push({
        modelId: entry.modelId,
        expected: entry.components.map((c) => `${c.text}:${c.category}`).join(' '),
        actual: parsed.components.map((c) => `${c.text}:${c.category}`).join(' '),
      });
    }
  }
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, { ...counts[c], ...prf(counts[c].tp, counts[c].fp, counts[c].fn) }])) as Record<NameCategory, CategoryScore>;
  return { names: entries.length, exact, byCategory, errors };
}

/** Categories with an F1 target (the issue's: architecture, size, task). */
export const F1_TARGETS: Partial<Record<NameCategory, number>> = { A: 0.9, S: 0.9, T: 0.9 };

const pct = (x: number) => x.toFixed(3);

function table(score: NamesScore): string[] {
  const lines = [`  cat  support  precision  recall  F1`];
  for (const c of CATEGORIES) {
    const s = score.byCategory[c];
    if (s.tp + s.fn + s.fp === 0) continue;
    lines.push(`  ${c}    ${String(s.tp + s.fn).padStart(7)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}  ${pct(s.f1)}`);
  }
  lines.push(`  names parsed exactly as labelled: ${score.exact}/${score.names} (${pct(score.exact / score.names)})`);
  return lines;
}

export const namesSection: EvalSection = {
  title: 'Name parsing (test/eval/names.json)',
  run({ showErrors }): EvalResult {
    const all = loadLabelledNames();
    const lines: string[] = [];
    const failures: string[] = [];
    for (const split of ['tune', 'heldout', 'all'] as const) {
      const entries = split === 'all' ? all : all.filter((e) => e.split === split);
      const score = scoreNames(entries);
      lines.push(`${split} split (${entries.length} names):`, ...table(score));
      for (const [c, target] of Object.entries(F1_TARGETS)) {
        const f1 = score.byCategory[c as NameCategory].f1;
        if (f1 < target!) failures.push(`${split}: ${c} F1 ${pct(f1)} < ${target}`);
      }
      // Held-out mistakes stay unseen: looking at them would make the split a tuning set.
      if (showErrors && split === 'tune') for (const e of score.errors) lines.push(`  ${e.modelId}\n    expected ${e.expected}\n    actual   ${e.actual}`);
    }
    const ids = all.map((e) => e.modelId);
    const started = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) parseModelName(ids[i % ids.length]);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    lines.push(`parse time, in-process: ${ms.toFixed(1)} ms for 1,000 ids`);
    return { lines, failures };
  },
};
