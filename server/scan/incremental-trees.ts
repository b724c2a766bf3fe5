// Syntax trees of the last few texts parsed, so that the next version of an edited document
// is parsed incrementally (tree.edit + parse with the old tree): tree-sitter then re-reads
// only around the edit. Used where documents are re-analysed as users type (the language
// server's analysis workers); a one-off scan keeps no trees.
import type { Edit, Point } from 'web-tree-sitter';
import type { Tree } from './tree-sitter';

interface Entry {
  text: string;
  tree: Tree;
}

/** The fields of web-tree-sitter's Edit that tree.edit reads. */
export type TextEdit = Pick<Edit, 'startIndex' | 'oldEndIndex' | 'newEndIndex' | 'startPosition' | 'oldEndPosition' | 'newEndPosition'>;

const CHUNK = 1024;

/** The changed stretch between `before` and `after` as offsets: where it starts, and where it ends in each. */
export function changedStretch(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  // Whole chunks first (a native comparison), then character by character: every keystroke
  // compares the document with each kept version.
  while (start + CHUNK <= shorter && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end + CHUNK <= shorter - start && before.slice(before.length - end - CHUNK, before.length - end) === after.slice(after.length - end - CHUNK, after.length - end)) end += CHUNK;
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { start, oldEnd: before.length - end, newEnd: after.length - end };
}

/** The edit that turns `before` into `after`: one changed stretch between a common prefix and suffix. */
export function editBetween(before: string, after: string): TextEdit {
  const { start, oldEnd, newEnd } = changedStretch(before, after);
  const startPosition = pointAt(before, start);
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: pointAt(before, oldEnd, start, startPosition),
    newEndPosition: pointAt(after, newEnd, start, startPosition),
  };
}

function pointAt(text: string, offset: number, from = 0, at: Point = { row: 0, column: 0 }): Point {
  let row = at.row;
  let lineStart = from - at.column;
  for (let i = text.indexOf('\n', from); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** Texts that share less than this with a kept one are parsed afresh (another document). */
const MIN_SHARED = 0.5;

export class TreeCache {
  private entries: Entry[] = [];
  /** Parses that reused a tree (tests count them). */
  reused = 0;

  constructor(private readonly size = 4) {}

  /**
   * A copy of the kept tree closest to `text`, edited to match it (the caller owns and deletes
   * it); undefined when no kept text is a near version of it. The kept tree itself stays: the
   * next version is often nearer to it than to this one (edits undone, or made elsewhere).
   */
  take(text: string): Tree | undefined {
    let best: { index: number; shared: number } | undefined;
    this.entries.forEach((entry, index) => {
      const stretch = changedStretch(entry.text, text);
      const shared = stretch.start + (text.length - stretch.newEnd);
      if (shared >= MIN_SHARED * text.length && (!best || shared > best.shared)) best = { index, shared };
    });
    if (!best) return undefined;
    // Most recently used last: the oldest are dropped first.
    const [entry] = this.entries.splice(best.index, 1);
    this.entries.push(entry);
    const copy = entry.tree.copy();
    // Rows and columns only for the tree that is used.
    copy.edit(editBetween(entry.text, text) as Edit);
    this.reused++;
    return copy;
  }

  /** Keeps the tree of `text` (the cache owns it from now on) in place of one of the same text, dropping the oldest beyond the size. */
  put(text: string, tree: Tree): void {
    const same = this.entries.findIndex((entry) => entry.text === text);
    if (same >= 0) this.entries.splice(same, 1)[0].tree.delete();
    this.entries.push({ text, tree });
    while (this.entries.length > this.size) this.entries.shift()!.tree.delete();
  }

  /** Forgets every tree (their runtime is being thrown away, or memory is wanted back). */
  clear(): void {
    for (const entry of this.entries.splice(0)) {
      try {
        entry.tree.delete();
      } catch {
        // A tree of a discarded runtime is dropped with it.
      }
    }
  }
}
