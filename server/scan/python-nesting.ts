// A cheap lexical pass that refuses pathologically nested Python before it reaches the
// parser: a few hundred nested blocks crash tree-sitter's WASM runtime (at about 400 levels
// inside an unclosed string, 511 in plain code). Two limits:
// - logical lines as CPython reads them: more than 100 levels is CPython's own limit, so no
//   runnable file is refused;
// - every physical line, strings and brackets included (tree-sitter's error recovery can read
//   them as code): more than 200 levels.
// Deep brackets alone do not crash the parser and are left to it.
import { BACKSLASH, CR, DOUBLE_QUOTE, HASH, LF, SINGLE_QUOTE } from './char-codes';

export const MAX_INDENT_LEVELS = 100;
export const MAX_PHYSICAL_INDENT_LEVELS = 200;

/** Why the text is too deeply nested to parse, or undefined when it is fine. Linear time. */
export function nestingProblem(text: string): string | undefined {
  // Each level indents at least one column deeper: lines no wider than the logical limit cannot
  // pass either limit (a quick pass over line starts; lone CRs end lines too, so they take the full one).
  if (widestIndentBound(text) <= MAX_INDENT_LEVELS) return undefined;
  if (physicalIndentLevels(text) > MAX_PHYSICAL_INDENT_LEVELS) return `more than ${MAX_PHYSICAL_INDENT_LEVELS} levels of indentation`;
  const indents = [0];
  let brackets = 0;
  let lineStart = true;
  let continued = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (lineStart && brackets === 0 && !continued) {
      const { width, end } = indentation(text, i);
      i = end;
      const c = text.charCodeAt(i);
      if (i < n && c !== HASH && c !== LF && c !== CR && c !== BACKSLASH) {
        if (width > indents[indents.length - 1]) {
          indents.push(width);
          if (indents.length - 1 > MAX_INDENT_LEVELS) return `more than ${MAX_INDENT_LEVELS} levels of indentation (Python refuses such a file too)`;
        } else {
          while (width < indents[indents.length - 1]) indents.pop();
        }
      }
    }
    lineStart = false;
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) {
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      lineStart = true;
      continued = false;
    } else if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === LF || next === CR) {
        i += next === CR && text.charCodeAt(i + 2) === LF ? 3 : 2;
        lineStart = true;
        continued = true;
      } else i++;
    } else if (c === HASH) {
      while (i < n && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
    } else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      i = skipString(text, i);
    } else if (c === 40 || c === 91 || c === 123) {
      brackets++;
      i++;
    } else if (c === 41 || c === 93 || c === 125) {
      brackets = Math.max(0, brackets - 1);
      i++;
    } else i++;
  }
  return undefined;
}


/** The deepest indentation stack over all non-blank physical lines, whatever they are part of. */
function physicalIndentLevels(text: string): number {
  const indents = [0];
  let deepest = 0;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const { width, end } = indentation(text, i);
    i = end;
    if (i < n && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) {
      if (width > indents[indents.length - 1]) deepest = Math.max(deepest, indents.push(width) - 1);
      else while (width < indents[indents.length - 1]) indents.pop();
    }
    while (i < n && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
    i++;
  }
  return deepest;
}

/** Width of the leading whitespace at `start` as Python counts it (tabs to the next multiple of 8). */
function indentation(text: string, start: number): { width: number; end: number } {
  let width = 0;
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) width++;
    else if (c === 9) width = (Math.floor(width / 8) + 1) * 8;
    else if (c === 12) width = 0;
    else break;
  }
  return { width, end: i };
}

/** The offset after the string literal whose opening quote is at `start`. */
function skipString(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  const triple = text.charCodeAt(start + 1) === quote && text.charCodeAt(start + 2) === quote;
  let i = start + (triple ? 3 : 1);
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (triple ? c === quote && text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote : c === quote) return i + (triple ? 3 : 1);
    // A single-quoted string cannot span lines: stop at the newline so a stray quote
    // cannot hide the rest of the file.
    else if (!triple && (c === LF || c === CR)) return i;
    else i++;
  }
  return i;
}

/** One space more than the logical limit allows. */
const WIDE_SPACES = ' '.repeat(MAX_INDENT_LEVELS + 1);

/**
 * At least the widest indentation of any line (tabs to the next multiple of 8, form feeds
 * counting nothing): Infinity when the text has lone CRs, whose lines this does not measure.
 */
function widestIndentBound(text: string): number {
  for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) if (text.charCodeAt(cr + 1) !== LF) return Infinity;
  // Without tabs only spaces widen a line (a form feed starts again from 0): a line wider than the
  // limit holds a run of more spaces than that, which one search rules out without visiting every line.
  if (!text.includes('\t') && !text.includes(WIDE_SPACES)) return MAX_INDENT_LEVELS;
  let widest = 0;
  const n = text.length;
  for (let i = 0; i < n; ) {
    let width = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) width++;
      else if (c === 9) width = (Math.floor(width / 8) + 1) * 8;
      else if (c !== 12) break;
    }
    if (width > widest) widest = width;
    const next = text.indexOf('\n', i);
    if (next < 0) break;
    i = next + 1;
  }
  return widest;
}
