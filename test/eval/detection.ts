// Detection measurement on a labelled set: Python files whose loads are marked with a
// trailing `# expect: org/name[, org/other]` (or `# expect: none` for a true negative).
// A reference counts on the line where its id argument starts; only resolved ids count
// (an unresolved reference names no model, so it is neither a hit nor a false alarm).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptySettings } from '../../server/config/settings';
import { scanWorkspace, type FileResult } from '../../server/engine/workspace';

export interface Labelled {
  /** "file:line id" for every expected load. */
  expected: Set<string>;
  /** "file:line id" for every resolved reference found. */
  found: Set<string>;
}

export interface DetectionFigures {
  expected: number;
  found: number;
  truePositives: number;
  recall: number;
  precision: number;
  misses: string[];
  falsePositives: string[];
}

const EXPECT = /#\s*expect:\s*(.+)$/;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The labels written in one file. */
export function labelsOf(relativePath: string, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, index) => {
    const match = EXPECT.exec(line);
    if (!match) return;
    for (const id of match[1].split(',').map((s) => s.trim())) {
      if (id && id !== 'none') out.push(`${relativePath}:${index + 1} ${id}`);
    }
  });
  return out;
}

export function foundIn(result: FileResult): string[] {
  return result.references.filter((r) => r.modelId).map((r) => `${result.relativePath}:${lineOf(result.text, r.idSpan.start)} ${r.modelId}`);
}

export async function measureDetection(folder: string): Promise<DetectionFigures> {
  const results = await scanWorkspace(folder, { settings: emptySettings(), localCommit: () => undefined });
  const expected = new Set<string>();
  const found = new Set<string>();
  for (const result of results) {
    for (const label of labelsOf(result.relativePath, readFileSync(join(folder, result.relativePath), 'utf8'))) expected.add(label);
    for (const reference of foundIn(result)) found.add(reference);
  }
  const truePositives = [...found].filter((f) => expected.has(f)).length;
  return {
    expected: expected.size,
    found: found.size,
    truePositives,
    recall: expected.size ? truePositives / expected.size : 1,
    precision: found.size ? truePositives / found.size : 1,
    misses: [...expected].filter((e) => !found.has(e)),
    falsePositives: [...found].filter((f) => !expected.has(f)),
  };
}
