// Detection on real public repositories: the loads labelled by hand in
// test/eval/real-detection/labels.json (files sampled from snapshots of public repositories;
// no third-party code is kept here) against what a workspace scan reports.
// The checkouts are not in this repository (CI has no network): set PTM_REAL_REPOS to a folder
// holding one folder per repository, named owner+name, with the labelled commit's files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptySettings } from '../../server/config/settings';
import { scanWorkspace } from '../../server/engine/workspace';
import { toScanOutput, type ReferenceRecord } from '../../server/report/records';
import { prf, type EvalResult, type EvalSection } from './registry';

interface LabelledFile {
  path: string;
  stratum: string;
  /** "tuning": labelled before the fixes and used to choose them; "held-out": drawn and labelled after. */
  split: 'tuning' | 'held-out';
  /** line: 1-based; "cN:L" for notebook cell N (0-based) line L. */
  loads: Array<{ line: number | string; id: string }>;
}

interface LabelledRepository {
  repo: string;
  commit: string;
  /** The folder scanned, relative to the checkout (the part of the repository taken); file paths are relative to the checkout. */
  folder: string;
  files: LabelledFile[];
}

export interface RepositoryFigures {
  repo: string;
  files: number;
  expected: number;
  found: number;
  truePositives: number;
  misses: string[];
  falsePositives: string[];
}

const LABELS = join(__dirname, '..', '..', '..', 'test', 'eval', 'real-detection', 'labels.json');

/** sentence-transformers reads a bare name of its own list as `sentence-transformers/<name>`. */
const sameId = (a: string, b: string): boolean => {
  const bare = (id: string) => id.toLowerCase().replace(/^sentence-transformers\//, '');
  return bare(a) === bare(b);
};

const where = (reference: ReferenceRecord): string => (reference.cell === undefined ? `${reference.line}` : `c${reference.cell}:${reference.line}`);

export function scoreRepository(repository: LabelledRepository, references: readonly ReferenceRecord[]): RepositoryFigures {
  const sampled = new Map(repository.files.map((file) => [file.path, file]));
  const expected = new Map<string, string>();
  for (const [path, file] of sampled) for (const load of file.loads) expected.set(`${path}:${load.line} ${load.id}`, load.id);
  const found = new Map<string, string>();
  for (const reference of references) {
    if (!reference.modelId || reference.likelyPath || !sampled.has(reference.file)) continue;
    found.set(`${reference.file}:${where(reference)} ${reference.modelId}`, reference.modelId);
  }
  const matched = new Set<string>();
  const falsePositives: string[] = [];
  for (const [key, id] of found) {
    const at = key.slice(0, key.lastIndexOf(' '));
    const label = [...expected.keys()].find((e) => !matched.has(e) && e.startsWith(`${at} `) && sameId(expected.get(e)!, id));
    if (label) matched.add(label);
    else falsePositives.push(key);
  }
  return {
    repo: repository.repo,
    files: sampled.size,
    expected: expected.size,
    found: found.size,
    truePositives: matched.size,
    misses: [...expected.keys()].filter((e) => !matched.has(e)),
    falsePositives,
  };
}

async function scanReferences(root: string, repository: LabelledRepository): Promise<ReferenceRecord[]> {
  const checkout = join(root, repository.repo.replace('/', '+'));
  const results = await scanWorkspace(join(checkout, repository.folder), { settings: emptySettings(), localCommit: () => undefined, surface: 'cli' });
  return toScanOutput(results).references.map((r) => ({ ...r, file: join(repository.folder, r.file) }));
}

const pct = (x: number) => x.toFixed(3);
const SPLITS = ['tuning', 'held-out', 'all'] as const;

export const realDetectionSection: EvalSection = {
  title: 'Detection on real repositories (PTM_REAL_REPOS)',
  async run({ showErrors }): Promise<EvalResult> {
    const root = process.env.PTM_REAL_REPOS;
    if (!root) return { lines: ['not run: set PTM_REAL_REPOS to the folder of the checkouts named in test/eval/real-detection/labels.json (docs/detection.md).'], failures: [] };
    const labels = JSON.parse(readFileSync(LABELS, 'utf8')) as { repositories: LabelledRepository[] };
    const lines: string[] = [];
    const totals = Object.fromEntries(SPLITS.map((split) => [split, { tp: 0, fp: 0, fn: 0, files: 0 }]));
    for (const repository of labels.repositories) {
      const checkout = join(root, repository.repo.replace('/', '+'));
      if (!existsSync(checkout)) {
        lines.push(`${repository.repo}: no checkout at ${checkout}`);
        continue;
      }
      const references = await scanReferences(root, repository);
      for (const split of SPLITS) {
        const files = repository.files.filter((file) => split === 'all' || file.split === split);
        const figures = scoreRepository({ ...repository, files }, references);
        const fn = figures.misses.length;
        const fp = figures.falsePositives.length;
        const total = totals[split];
        total.tp += figures.truePositives;
        total.fp += fp;
        total.fn += fn;
        total.files += figures.files;
        if (split === 'all') continue;
        const { recall, precision } = prf(figures.truePositives, fp, fn);
        lines.push(`${split.padEnd(8)} ${repository.repo}@${repository.commit.slice(0, 10)}: files ${figures.files}, loads ${figures.expected}, found ${figures.found}, recall ${pct(recall)}, precision ${pct(precision)}`);
        if (showErrors) {
          for (const miss of figures.misses) lines.push(`  miss  ${miss}`);
          for (const wrong of figures.falsePositives) lines.push(`  false ${wrong}`);
        }
      }
    }
    for (const split of SPLITS) {
      const total = totals[split];
      const { recall, precision } = prf(total.tp, total.fp, total.fn);
      lines.push(`overall ${split}: files ${total.files}, loads ${total.tp + total.fn}, true ${total.tp}, false ${total.fp}, missed ${total.fn}, recall ${pct(recall)}, precision ${pct(precision)}`);
    }
    const all = prf(totals.all.tp, totals.all.fp, totals.all.fn);
    const failures: string[] = [];
    if (all.recall < 0.95) failures.push(`real-repository recall ${pct(all.recall)} < 0.95`);
    if (all.precision < 0.95) failures.push(`real-repository precision ${pct(all.precision)} < 0.95`);
    return { lines, failures };
  },
};
