// The lexical pass (lexical-python.ts) of an edited document, built from its last version's.
// The text is lexed in chunks, each starting at a top-level statement where the lexer is in its
// resting state (no bracket or string open, no line continuation, at a line's start, no
// decorator waiting for its definition), so a chunk's facts do not depend on the text before
// it. An edit re-lexes from the chunk it falls in up to the first later chunk start where the
// lexer is back at rest; the other chunks are the last version's, moved. Whether it is at rest
// is not guessed: the stretch is lexed with a one-letter statement after it, which starts a
// segment of its own exactly when the lexer rests there. The merged facts are lexPython's of the
// whole text (test/unit/scan-incremental-lex.test.ts holds it to that).
import { HINTED_CALLS, lexPython, type PythonLexicalFacts } from './lexical-python';
import type { changedStretch } from './incremental-trees';

type Segment = PythonLexicalFacts['segments'][number];

/** A stretch of the text lexed alone; its facts' offsets count from its start. */
interface Chunk {
  start: number;
  end: number;
  facts: PythonLexicalFacts;
}

/** About this much text per chunk: an edit re-lexes one or two of them. */
export const CHUNK_CHARS = 4096;

/** How many later chunk starts an edit tries before the rest of the text is lexed afresh. */
const RESYNC_TRIES = 3;

export class ChunkedLex {
  /** Chunks lexed so far (tests and the bench count them). */
  static lexedChars = 0;

  private constructor(
    /** The text lexed (lone CRs as the caller gave them). */
    readonly text: string,
    private readonly chunks: Chunk[],
    private readonly chunkChars: number,
    /** lexPython(text), as merged from the chunks (the caller may change its segments' `keep`: rangesToParse does). */
    readonly facts: PythonLexicalFacts = merge(chunks),
  ) {}

  /** The lexical facts of a text with no earlier version. */
  static of(text: string, chunkChars = CHUNK_CHARS): ChunkedLex {
    return new ChunkedLex(text, lexFrom(text, 0, chunkChars), chunkChars);
  }

  /** The lexical facts of `text`, a version of this one changed in one stretch (changedStretch(this.text, text)). */
  edited(text: string, stretch: ReturnType<typeof changedStretch>): ChunkedLex {
    const { start, oldEnd, newEnd } = stretch;
    const delta = newEnd - oldEnd;
    const chunks = this.chunks;
    // The chunk the edit falls in, or an earlier one: its first character must lie before the
    // edit (a statement starts there; no decorator before it waits for it, whatever it is).
    let first = chunks.length - 1;
    while (first > 0 && chunks[first].start >= start) first--;
    const from = chunks[first].start;
    const kept = chunks.slice(0, first);
    let tries = 0;
    for (let k = first + 1; k < chunks.length && tries < RESYNC_TRIES; k++) {
      if (chunks[k].start < oldEnd) continue;
      tries++;
      const to = chunks[k].start + delta;
      const lexed = lexUpTo(text, from, to, this.chunkChars);
      if (!lexed) continue;
      const moved = chunks.slice(k).map((c) => ({ start: c.start + delta, end: c.end + delta, facts: c.facts }));
      return new ChunkedLex(text, [...kept, ...lexed, ...moved], this.chunkChars);
    }
    return new ChunkedLex(text, [...kept, ...lexFrom(text, from, this.chunkChars)], this.chunkChars);
  }
}

/** Chunks from `from` (a resting point) to the end of the text. */
function lexFrom(text: string, from: number, chunkChars: number): Chunk[] {
  const chunks: Chunk[] = [];
  let start = from;
  // A candidate end that is no resting point (inside a long string) is passed over for one
  // twice as far, so a text that never rests costs at most twice its lexing.
  for (let span = chunkChars; ; ) {
    const end = start + span < text.length ? boundaryAfter(text, start + span, text.length) : -1;
    if (end < 0) {
      chunks.push({ start, end: text.length, facts: lex(text.slice(start)) });
      return chunks;
    }
    const facts = lexPiece(text, start, end);
    if (!facts) {
      span *= 2;
      continue;
    }
    chunks.push({ start, end, facts });
    start = end;
    span = chunkChars;
  }
}

/** Chunks from `from` up to `to`, both resting points; undefined when the lexer does not rest at `to`. */
function lexUpTo(text: string, from: number, to: number, chunkChars: number): Chunk[] | undefined {
  if (!isBoundary(text, to)) return undefined;
  const chunks: Chunk[] = [];
  let start = from;
  // A long stretch (a paste) is cut into chunks of the usual size on the way.
  for (let span = chunkChars; to - start > 2 * chunkChars; ) {
    const end = boundaryAfter(text, start + span, to - chunkChars);
    const facts = end < 0 ? undefined : lexPiece(text, start, end);
    if (!facts) break;
    chunks.push({ start, end, facts });
    start = end;
    span = chunkChars;
  }
  const facts = lexPiece(text, start, to);
  if (!facts) return undefined;
  chunks.push({ start, end: to, facts });
  return chunks;
}

function lex(text: string): PythonLexicalFacts {
  ChunkedLex.lexedChars += text.length;
  return lexPython(text);
}

/**
 * The facts of [start, end) when the lexer of the whole text rests at `end` (given that it rests
 * at `start`), else undefined. A statement `z` put at `end` starts a segment of its own only
 * when no bracket, string or continuation is open there and no decorator waits for its
 * definition; that segment is dropped (a one-letter name adds no fact), which leaves the facts
 * the whole text's lexer has for the stretch. A line break ends it, as files end: a name at the
 * very end makes the lexer read past the text, and V8 throws away its optimized lexer the first
 * time that happens (tens of milliseconds in the first edits, to rebuild it).
 */
function lexPiece(text: string, start: number, end: number): PythonLexicalFacts | undefined {
  const facts = lex(text.slice(start, end) + 'z\n');
  const segments = facts.segments;
  const last = segments[segments.length - 1];
  if (segments.length < 2 || last.start !== end - start || segments[segments.length - 2].awaitingDefinition) return undefined;
  segments.pop();
  return facts;
}

/** The first candidate chunk start in [from, limit), or -1. */
function boundaryAfter(text: string, from: number, limit: number): number {
  for (let at = text.indexOf('\n', from - 1); at >= 0 && at + 1 < limit; at = text.indexOf('\n', at + 1)) {
    if (isBoundary(text, at + 1)) return at + 1;
  }
  return -1;
}

/**
 * A line starting with a name or a decorator at column 0, with no dotted path running into it
 * from the line before (the lexer reads `a.\nb.from_pretrained` back across the line break to
 * find the path's first name): where a chunk may start.
 */
function isBoundary(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length || text.charCodeAt(at - 1) !== 10) return false;
  const c = text.charCodeAt(at);
  if (!(isNameStart(c) || c === 64)) return false;
  let before = at - 1;
  while (before >= 0 && isSpace(text.charCodeAt(before))) before--;
  return text.charCodeAt(before) !== 46;
}

// As the lexer's: a byte-order mark starts no name.
const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 128 && c !== 0xfeff);
/** What the lexer skips between the parts of a dotted path (a backslash continues a line). */
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 92;

/** The whole text's facts from its chunks'. */
function merge(chunks: Chunk[]): PythonLexicalFacts {
  const segments: Segment[] = [];
  const aliases = new Set<string>();
  const roots = new Set<string>();
  const hints = new Set<string>();
  const importKeywords: number[] = [];
  const quiet: number[] = [];
  let namesLoader = false;
  let suspicious = false;
  for (const { start, facts } of chunks) {
    namesLoader ||= facts.namesLoader;
    suspicious ||= facts.suspicious;
    for (const alias of facts.aliases) aliases.add(alias);
    for (const root of facts.roots) roots.add(root);
    for (const hint of facts.hints) hints.add(hint);
    for (const at of facts.importKeywords) importKeywords.push(at + start);
    for (const at of facts.quiet) quiet.push(at + start);
    // Copies (the caller marks segments kept), every field written out: one shape, as lexPython's.
    for (const segment of facts.segments) {
      segments.push({
        start: segment.start + start,
        end: segment.end + start,
        definition: segment.definition,
        keep: segment.keep,
        classes: segment.classes,
        imports: segment.imports,
        hintedCalls: segment.hintedCalls,
        awaitingDefinition: segment.awaitingDefinition,
        targetEnd: segment.targetEnd === undefined ? undefined : segment.targetEnd + start,
        expression: segment.expression,
        importStatement: segment.importStatement,
        resolverWords: segment.resolverWords,
      });
    }
  }
  // A hinted call is kept once the file names its hint anywhere (a chunk knew only its own hints).
  for (const segment of segments) {
    if (!segment.keep && segment.hintedCalls?.some((name) => HINTED_CALLS.get(name)!.some((hint) => hints.has(hint)))) segment.keep = true;
  }
  return { namesLoader, segments, aliases, roots, suspicious, importKeywords, hints, quiet };
}
