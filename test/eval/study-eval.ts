// Agreement with the naming study's own component labels (Jiang et al.; the file
// data/hf_pkg_elements.json of github.com/Wenxin-Jiang/PTM-Naming-Elements-Extractor, Apache-2.0,
// labels made by a language model from the study's category definitions). Not kept in this
// repository: set PTM_LENS_STUDY_LABELS to the file's path to score against it.
// Components are matched by text (case ignored) and category; the study's P for billion-scale
// counts ("7B") is read as S, as docs/naming.md defines S. Other convention differences
// (docs/naming.md, Decisions) count as disagreements.
import { readFileSync } from 'node:fs';
import { CATEGORIES } from '../../server/naming/categories';
import { parseModelName, type NameCategory } from '../../server/naming/parse-name';
import { prf, type EvalResult, type EvalSection } from './registry';

type StudyLabels = Record<string, Array<{ component: string; category: string }>>;

const asOurs = (category: string, text: string): string => (category === 'P' && /^\d+(\.\d+)?(x\d+(\.\d+)?)?b$/i.test(text) ? 'S' : category);

export const studySection: EvalSection = {
  title: 'Agreement with the naming study\'s labels (PTM_LENS_STUDY_LABELS)',
  run(): EvalResult {
    const file = process.env.PTM_LENS_STUDY_LABELS;
    if (!file) return { lines: ['not run: set PTM_LENS_STUDY_LABELS to the path of the study\'s hf_pkg_elements.json (see docs/naming.md).'], failures: [] };
    let labels: StudyLabels;
    try {
      labels = JSON.parse(readFileSync(file, 'utf8')) as StudyLabels;
    } catch (error) {
      return { lines: [], failures: [`cannot read ${file}: ${(error as Error).message}`] };
    }
    const counts = Object.fromEntries(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<string, { tp: number; fp: number; fn: number }>;
    let names = 0;
    for (const [modelId, components] of Object.entries(labels)) {
      if (!Array.isArray(components)) continue;
      names++;
      const expected = components.filter((c) => c && typeof c.component === 'string' && counts[c.category]).map((c) => `${c.component.toLowerCase()}|${asOurs(c.category, c.component)}`);
      for (const c of parseModelName(modelId).components) {
        const key = `${c.text.toLowerCase()}|${c.category}`;
        const at = expected.indexOf(key);
        if (at >= 0) {
          expected.splice(at, 1);
          counts[c.category].tp++;
        } else counts[c.category].fp++;
      }
      for (const key of expected) counts[key.split('|')[1]].fn++;
    }
    const lines = [`${names} names; cat  support  precision  recall  F1`];
    for (const c of CATEGORIES as NameCategory[]) {
      const { tp, fp, fn } = counts[c];
      const s = prf(tp, fp, fn);
      lines.push(`  ${c}    ${String(tp + fn).padStart(7)}  ${s.precision.toFixed(3).padStart(9)}  ${s.recall.toFixed(3).padStart(6)}  ${s.f1.toFixed(3)}`);
    }
    return { lines, failures: [] };
  },
};
