// Re-scans an edited Python document by its changed top-level statements only. The previous
// version's references are kept per document; an edit (one changed stretch between a shared
// prefix and suffix) then costs the lexical pass plus, at most, a scan of the statements it
// touched. Whenever the edit could change what other statements resolve to, or the code around
// it does not parse cleanly, the whole document is scanned as before. The result is always the
// one a fresh scan of the text gives (test/unit/scan-incremental-edits.test.ts holds it to that).
import type { ModelReference, Span } from '../core/types';
import { changedStretch, editBetween } from './incremental-trees';
import { rangesToParse, type TextRange } from './lexical-python';
import { ChunkedLex } from './incremental-lex';
import { LOADER_HINTS, LOADERS } from './loaders';
import { MAX_INDENT_LEVELS, nestingProblem } from './python-nesting';
import { DOWNLOAD_FOLDER_KEYWORD, SAVE_KEYWORDS, SAVE_METHODS, UnscannableFile, parseAndScan, saveTargets, scanPython, type PartialScan, type ScanOptions } from './python';
import { MAX_RECOVERY_PARSES, PARSE_BUDGET_MS, RECYCLE_AFTER_CHARS, blankLine, firstTopLevelError, scanTree } from './python';
import { PythonImports } from './python-imports';
import { createParser, treeSitterResets, type Parser, type SyntaxNode, type Tree } from './tree-sitter';
import type { Edit } from 'web-tree-sitter';
import { mentionsWorkspaceLoader } from './workspace-symbols';
import { dottedPath } from './python-dotted';

/** What a scan of a document left to build on. */
interface Kept {
  /** The document (its path relative to the workspace root). */
  key: string;
  /** The text as the parser read it (lone CRs as LFs). */
  text: string;
  /** Where a loader hint occurs in it (mightLoadModels holds while the edits leave one alone). */
  hint: TextRange;
  /** The lexical pass over that text, in chunks the next version's pass starts from. */
  lex: ChunkedLex;
  /** The lexical pass's kept ranges and top-level statement starts of that text. */
  ranges: TextRange[];
  starts: number[];
  segments: Statement[];
  /** Loader names imported `as` another name (the lexical pass's). */
  aliases: Set<string>;
  references: ModelReference[];
  /** What the folder checker answered for each string it was asked about (folders come and go). */
  localPaths: Map<string, boolean>;
  /** At least the widest indentation of any line (nesting levels cannot exceed it). */
  widest: number;
  /** The workspace index the scan read (another one: scan afresh). */
  workspace: ScanOptions['workspace'];
}

/** A document version's tree with nothing left out. */
interface WholeTree {
  key: string;
  text: string;
  tree: Tree;
}

/** A stretch of top-level statements parsed alone, and what it tells the rest of its file (by `everyImportWord`). */
interface StretchTree {
  text: string;
  tree: Tree;
  contributions: Map<boolean, Contribution | undefined>;
}

/** Stretches kept: the old and new ones of the last few edits (a few places edited in turn). */
const STRETCHES_KEPT = 8;

/** How each scan of an edited document went (tests and the bench count them). */
export interface IncrementalCounts {
  /** Whole-document scans. */
  full: number;
  /** Edits outside every kept range: the previous references, shifted. */
  outsideKept: number;
  /** Edits inside kept statements that only those statements could feel: they alone were re-read. */
  statements: number;
  /** Edits that left a syntax error inside the statements they touched: those alone were re-read, from the whole file's tree. */
  brokenStatements: number;
  /** Why edits fell back to a whole-document scan, by reason. */
  fallbacks: Record<string, number>;
  /** Searches of a whole text for a loader hint (an edit that leaves the last version's hint alone needs none). */
  hintSearches: number;
  /** Whole-document scans of a text with a syntax error made from the trees already parsed from its last clean version (not parsed again). */
  scannedWhole: number;
}

/** Libraries a local receiver is trusted for when the file imports them (python.ts matchMethod): the only imported modules the rest of a file feels, beyond the names imports bind. */
const RECEIVER_LIBRARIES = new Set(LOADERS.flatMap((loader) => (loader.kind === 'method' ? loader.libraries : [])));

/** Names that call a loader directly (functions and methods of the loader table). */
const LOADER_CALL_NAMES = new Set(LOADERS.map((loader) => (loader.kind === 'method' ? loader.method : loader.function)));

export class IncrementalScans {
  /** Recent versions, least recently used first. */
  private kept: Kept[] = [];
  readonly counts: IncrementalCounts = { full: 0, outsideKept: 0, statements: 0, brokenStatements: 0, fallbacks: {}, hintSearches: 0, scannedWhole: 0 };
  private parser?: { parser: Parser; generation: number };
  /** Whole-text trees (no ranges left out) of recent clean versions, as a fresh scan of a text with a syntax error reads it. */
  private wholeTrees: WholeTree[] = [];
  /** Stretches of top-level statements recent edits touched, parsed alone (least recently used first). */
  private stretches: StretchTree[] = [];

  /** Versions kept (of any documents): the least recently used are forgotten first. */
  constructor(private readonly size = 4) {}

  /** The references a fresh scanPython(text, options) finds, from the document's last scan where it can. */
  async scan(text: string, options: ScanOptions): Promise<ModelReference[]> {
    const key = options.relativePath ?? '';
    // Files that name a workspace loader are parsed whole (python.ts): nothing to build on.
    if (options.plainParse || options.partial || mentionsWorkspaceLoader(text, options.workspace)) {
      this.counts.full++;
      return scanPython(text, options);
    }
    const full = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
    const previous = this.closest(key, full);
    // A loader hint of the last version that the edit left alone is still there: the whole text
    // need not be searched for one (lone CRs neither make nor break a hint).
    let hint = previous && movedHint(previous.hint, previous.stretch);
    if (!hint) {
      this.counts.hintSearches++;
      hint = hintIn(full);
    }
    if (!hint) {
      this.counts.full++;
      return scanPython(text, options);
    }
    // Only the chunks around the edit are lexed again (lexPython's facts all the same).
    const lex = previous ? previous.lex.edited(full, previous.stretch) : ChunkedLex.of(full);
    const facts = lex.facts;
    const ranges = rangesToParse(full, facts);
    const starts = facts.segments.map((s) => s.start);
    let references: ModelReference[] | undefined;
    let clean = !facts.suspicious && !!ranges;
    const check = options.isLocalPath;
    const reusable = previous && previous.workspace === options.workspace && [...previous.localPaths].every(([path, answer]) => check?.(path) === answer);
    const localPaths = reusable ? previous.localPaths : new Map<string, boolean>();
    // Answers are recorded, so that the next edit can tell whether a folder appeared or went.
    const recording: ScanOptions = check ? { ...options, isLocalPath: (path) => record(localPaths, path, check(path)) } : options;
    // Nesting deeper than the parser survives needs lines indented that far (python-nesting.ts).
    const widest = reusable ? Math.max(previous.widest, widestIndent(full, previous.stretch.start, previous.stretch.newEnd)) : widestIndent(full, 0, full.length);
    /** The whole text's scan, when one was made (it says whether the kept ranges parsed). */
    let fullScan: PartialScan | undefined;
    if (reusable && ranges && (widest <= MAX_INDENT_LEVELS || !nestingProblem(text))) {
      const reused = clean ? await this.reuse(previous, full, ranges, facts.segments, facts.aliases, recording) : 'broken';
      if (reused === 'broken' && !facts.suspicious) {
        // The touched statements do not parse alone: a fresh scan parses the kept ranges first,
        // and when they parse, its references are theirs. That scan is made here at once, its
        // tree parsed once (it stops as soon as the kept ranges turn out not to parse).
        const whole: PartialScan = { ranges, within: { start: 0, end: full.length } };
        const answers = [...localPaths];
        localPaths.clear();
        const found = await scanLoading(text, { ...recording, partial: whole });
        if (whole.clean) {
          this.fallback('statement does not parse alone');
          this.counts.full++;
          references = found;
          fullScan = whole;
        } else for (const [path, answer] of answers) localPaths.set(path, answer);
      }
      // A syntax error: a fresh scan reads the whole text's tree (and blanks broken lines).
      if (!references && (reused === 'broken' || reused === 'broken kept ranges')) {
        const broken = await this.reuseBroken(previous, full, facts.aliases, recording, localPaths);
        references = broken?.references;
        // Scanned whole: the kept ranges did not parse, so this version is no base for the next edit.
        if (broken?.full) clean = false;
      } else if (reused !== 'broken' && reused !== 'broken kept ranges') references = reused;
    }
    if (!references) {
      this.counts.full++;
      fullScan = { ranges };
      localPaths.clear();
      references = await scanLoading(text, { ...recording, partial: fullScan });
    }
    if (fullScan) {
      clean &&= fullScan.clean === true;
      // The base a later edit's syntax error is parsed from: one per document is enough, at its
      // first scan (when it opens); a later version's is parsed from it when an edit needs it.
      if (clean && !this.wholeTrees.some((entry) => entry.key === key)) await this.wholeTree(key, full);
    }
    if (clean && !this.kept.some((k) => k.key === key && k.text === full)) {
      this.kept.push({ key, text: full, hint, lex, ranges: ranges!, starts, segments: facts.segments, aliases: facts.aliases, references, localPaths: reusable ? new Map(localPaths) : localPaths, widest, workspace: options.workspace });
      this.kept.splice(0, Math.max(0, this.kept.length - this.size));
    }
    return references.map((reference) => shifted(reference, 0, 0));
  }

  private fallback(reason: string): undefined {
    this.counts.fallbacks[reason] = (this.counts.fallbacks[reason] ?? 0) + 1;
    return undefined;
  }

  /** Forgets every document (memory is wanted back). */
  clear(): void {
    this.kept = [];
    this.dropWholeTrees();
  }

  /** The kept version of the document that shares most with `text` (then the most recently used), or undefined. */
  private closest(key: string, text: string): (Kept & { stretch: Stretch }) | undefined {
    let best: { kept: Kept; shared: number; stretch: Stretch } | undefined;
    for (const kept of this.kept) {
      if (kept.key !== key) continue;
      const stretch = changedStretch(kept.text, text);
      const shared = stretch.start + (text.length - stretch.newEnd);
      if (!best || shared > best.shared) best = { kept, shared, stretch };
    }
    if (best) this.kept = [...this.kept.filter((k) => k !== best!.kept), best.kept];
    return best && { ...best.kept, stretch: best.stretch };
  }

  /** The new text's references built from the previous scan, or undefined when the whole text must be scanned. */
  private async reuse(previous: Kept & { stretch: Stretch }, text: string, ranges: TextRange[], segments: Statement[], aliases: Set<string>, options: ScanOptions): Promise<ModelReference[] | undefined | 'broken' | 'broken kept ranges'> {
    const starts = segments.map((s) => s.start);
    const { start, oldEnd, newEnd } = previous.stretch;
    const delta = newEnd - oldEnd;
    if (start === oldEnd && start === newEnd) return previous.references;
    // The parser must read the same stretches, moved by the edit.
    const map = (offset: number) => (offset <= start ? offset : offset >= oldEnd ? offset + delta : NaN);
    if (!sameRanges(previous.ranges.map((r) => ({ start: map(r.start), end: map(r.end) })), ranges)) return this.fallback('kept ranges changed');
    const lineDelta = lineBreaks(text, start, newEnd) - lineBreaks(previous.text, start, oldEnd);
    // A guard's source names its line ("compared in the if on line 12").
    const linesMoved = (reference: ModelReference) => lineDelta !== 0 && /\bline \d/.test(reference.idSource ?? '');
    if (!overlapsAny(previous.ranges, start, oldEnd) && !overlapsAny(ranges, start, newEnd)) {
      // Outside every kept range: the parser reads the very same code, only moved.
      const after = previous.references.filter((r) => r.callSpan.start >= oldEnd);
      if (after.some(linesMoved)) return this.fallback('a line number moved');
      this.counts.outsideKept++;
      return previous.references.map((r) => shifted(r, r.callSpan.start >= oldEnd ? delta : 0, oldEnd));
    }
    // The top-level statements the edit touches, before and after it; the statements before
    // them must still start where they did, and the ones after where they did plus the edit's delta.
    const first = lastAtOrBefore(previous.starts, start);
    const stretchStart = previous.starts[first];
    const endIndex = previous.starts.findIndex((s) => s > Math.max(oldEnd, start));
    const oldStretchEnd = endIndex < 0 ? previous.text.length : previous.starts[endIndex];
    const newStretchEnd = oldStretchEnd + delta;
    // The statements around the stretch must be the same ones, the later ones moved.
    const oldAfter = endIndex < 0 ? [] : previous.starts.slice(endIndex);
    const newFirst = starts.indexOf(stretchStart);
    const newAfterIndex = newStretchEnd === text.length ? starts.length : starts.indexOf(newStretchEnd);
    if (newFirst !== first || newAfterIndex < 0 || starts.length - newAfterIndex !== oldAfter.length) return this.fallback('statements split or joined');
    const oldStretch = previous.text.slice(stretchStart, oldStretchEnd);
    const newStretch = text.slice(stretchStart, newStretchEnd);
    const workspaceCalls = !!(options.workspace?.wrappers.size || options.workspace?.hubClasses.size);
    const before = await this.contribution(oldStretch, workspaceCalls);
    const after = before && (await this.contribution(newStretch, workspaceCalls));
    if (!before) return this.fallback('statement does not parse alone');
    if (!after) return 'broken';
    // What the stretch tells the rest of the file (names bound, defaults, saved folders) must
    // not change for any name the rest of the kept code reads.
    if (before.saved !== after.saved || before.modules !== after.modules) return this.fallback('saved folders or imported libraries changed');
    const { affected, imported, loaderMembers } = affectedNames(before.entries, after.entries, !workspaceCalls);
    if (affected.size && readsAnyOf(text, ranges, segments, stretchStart, newStretchEnd, affected, options, aliases)) return this.fallback('a name read elsewhere changed');
    if (imported.size && headsLoaderCall(text, stretchStart, newStretchEnd, imported, loaderMembers)) return this.fallback('an imported name a loader call reads changed');
    // A save call in the touched statements reading a changed name may save another folder.
    if (affected.size && [...after.saved.matchAll(WORD)].some(([word]) => affected.has(word))) return this.fallback('a saved folder changed');
    const outside = previous.references.filter((r) => r.callSpan.start < stretchStart || r.callSpan.start >= oldStretchEnd);
    if (outside.some((r) => r.callSpan.start >= oldStretchEnd && linesMoved(r))) return this.fallback('a line number moved');
    const moved = outside.map((r) => shifted(r, r.callSpan.start >= oldStretchEnd ? delta : 0, oldStretchEnd));
    let inside: ModelReference[] = [];
    if (after.loads || (after.single.size && hasAlias(text, after.single)) || (after.calls && (options.workspace?.wrappers.size || options.workspace?.hubClasses.size))) {
      const partial: PartialScan = { ranges, within: { start: stretchStart, end: newStretchEnd } };
      inside = await scanLoading(text, { ...options, partial });
      // The kept ranges did not parse: a fresh scan reads the whole text then.
      if (!partial.clean) return 'broken kept ranges';
    }
    this.counts.statements++;
    return [...moved, ...inside].sort((a, b) => a.callSpan.start - b.callSpan.start);
  }

  /**
   * The references of a text with a syntax error, from the previous clean version's: a fresh
   * scan parses the whole text, scans every call, then blanks the first broken line and scans
   * again (python.ts). When the error stays inside the top-level statements the edit touched
   * (every other top-level node of the whole text's tree is the previous version's, moved, and
   * without errors), and what those statements tell the rest of the file is unchanged, the other
   * references are the previous ones, moved: only the touched statements' calls are scanned, in
   * each of those trees, which are parsed incrementally from the previous version's whole tree.
   * The kept ranges are known not to parse alone (a fresh scan reads the whole text then).
   */
  private async reuseBroken(previous: Kept & { stretch: Stretch }, text: string, newAliases: Set<string>, options: ScanOptions, localPaths: Map<string, boolean>): Promise<{ references: ModelReference[]; full: boolean } | undefined> {
    if (options.workspace?.wrappers.size || options.workspace?.hubClasses.size) return this.fallback('syntax error, workspace wrappers');
    const { start, oldEnd, newEnd } = previous.stretch;
    const delta = newEnd - oldEnd;
    // The touched top-level statements, as the lexical pass cut the previous version.
    const stretchStart = previous.starts[lastAtOrBefore(previous.starts, start)];
    const endIndex = previous.starts.findIndex((s) => s > Math.max(oldEnd, start));
    const oldStretchEnd = endIndex < 0 ? previous.text.length : previous.starts[endIndex];
    const newStretchEnd = oldStretchEnd + delta;
    const lineDelta = lineBreaks(text, start, newEnd) - lineBreaks(previous.text, start, oldEnd);
    const outside = previous.references.filter((r) => r.callSpan.start < stretchStart || r.callSpan.start >= oldStretchEnd);
    if (lineDelta && outside.some((r) => r.callSpan.start >= oldStretchEnd && /\bline \d/.test(r.idSource ?? ''))) return this.fallback('a line number moved');
    // Loader names imported `as` another name, in either version (a broken line may hide one from the lexical pass).
    const aliases = new Set([...previous.aliases, ...newAliases, ...[...text.slice(stretchStart, newStretchEnd).matchAll(AS_NAME)].map((m) => m[1])]);
    const base = await this.wholeTree(previous.key, previous.text);
    if (!base || base.rootNode.hasError) return this.fallback('no clean whole tree');
    const old = splitTopLevel(base.rootNode, stretchStart, oldStretchEnd);
    const before = contributionOf(old.middle, false);
    const parser = await this.stretchParser();
    const found = new Map<string, ModelReference>();
    const keep = (reference: ModelReference) => {
      const key = `${reference.callSpan.start}|${reference.modelId ?? ''}`;
      if (!found.has(key)) found.set(key, reference);
    };
    for (const reference of outside) keep(shifted(reference, reference.callSpan.start >= oldStretchEnd ? delta : 0, oldStretchEnd));
    let source = text;
    let tree = parseFrom(parser, base, previous.text, source, options);
    /** Each parse's tree and text, in order (the fresh scan's recovery: each blanks one more broken line). */
    const parsed: { tree: Tree; source: string }[] = [];
    /**
     * Why the touched statements alone cannot tell the result, once known: then every call of
     * each tree is scanned, as a fresh scan does with these very trees (not parsed again).
     */
    let whole: string | undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        if (!tree) return this.fallback('parse cancelled');
        parsed.push({ tree, source });
        if (!whole) {
          const now = splitTopLevel(tree.rootNode, stretchStart, newStretchEnd);
          const local = sameNodes(old.before, now.before, 0) && sameNodes(old.after, now.after, delta);
          const after = local ? contributionOf(now.middle, false) : undefined;
          whole = after ? feltElsewhere(previous, stretchStart, oldStretchEnd, before, after, options, aliases) : 'syntax error not local';
          if (!whole && after && (after.loads || (after.single.size && hasAlias(text, after.single)))) {
            const partial: PartialScan = { ranges: undefined, within: { start: stretchStart, end: newStretchEnd } };
            for (const reference of scanTree(tree.rootNode, source, { ...options, partial })) keep(reference);
          }
        }
        const error = firstTopLevelError(tree.rootNode);
        if (!error || attempt === MAX_RECOVERY_PARSES) break;
        // As the fresh scan does: blank the first broken line and parse again.
        const blanked = blankLine(source, error.startIndex);
        tree = parseFrom(parser, tree, source, blanked, options);
        source = blanked;
      }
      if (whole) {
        this.fallback(whole);
        this.counts.full++;
        this.counts.scannedWhole++;
        // The fresh scan's answers alone, as a whole-document scan records them.
        localPaths.clear();
        found.clear();
        for (const each of parsed) for (const reference of scanTree(each.tree.rootNode, each.source, { ...options, partial: { ranges: undefined } })) keep(reference);
      }
    } finally {
      for (const each of parsed) each.tree.delete();
    }
    if (!whole) this.counts.brokenStatements++;
    return { references: [...found.values()].sort((a, b) => a.callSpan.start - b.callSpan.start), full: !!whole };
  }

  /** The whole-text tree of a document's version (kept for the next edit), parsed from a near version's tree when there is one. */
  private async wholeTree(key: string, text: string): Promise<Tree | undefined> {
    if (text.length > RECYCLE_AFTER_CHARS) return undefined;
    const parser = await this.stretchParser();
    const same = this.wholeTrees.find((entry) => entry.key === key && entry.text === text);
    if (same) return same.tree;
    let best: { entry: WholeTree; shared: number } | undefined;
    for (const entry of this.wholeTrees) {
      if (entry.key !== key) continue;
      const stretch = changedStretch(entry.text, text);
      const shared = stretch.start + (text.length - stretch.newEnd);
      if (shared >= text.length / 2 && (!best || shared > best.shared)) best = { entry, shared };
    }
    const tree = best ? parseFrom(parser, best.entry.tree, best.entry.text, text, {}) : (parser.parse(text, null, { progressCallback: budget({}) }) ?? undefined);
    if (!tree) return undefined;
    this.wholeTrees.push({ key, text, tree });
    while (this.wholeTrees.length > this.size) this.wholeTrees.shift()!.tree.delete();
    return tree;
  }

  private dropWholeTrees(): void {
    for (const entry of [...this.wholeTrees.splice(0), ...this.stretches.splice(0)]) {
      try {
        entry.tree.delete();
      } catch {
        // A tree of a discarded runtime goes with it.
      }
    }
  }

  /**
   * What a stretch of top-level statements tells the rest of its file; undefined when it does not
   * parse cleanly on its own. The stretches of the last few edits are kept with their trees: the
   * statements an edit touches are often the last edit's (typing), whose contribution is then
   * known, and a near version of a kept stretch is parsed incrementally from its tree.
   */
  private async contribution(stretch: string, everyImportWord: boolean): Promise<Contribution | undefined> {
    const parser = await this.stretchParser();
    let entry = this.stretches.find((kept) => kept.text === stretch);
    if (!entry) {
      let best: { kept: StretchTree; shared: number } | undefined;
      for (const kept of this.stretches) {
        const { start, newEnd } = changedStretch(kept.text, stretch);
        const shared = start + (stretch.length - newEnd);
        if (shared >= stretch.length / 2 && (!best || shared > best.shared)) best = { kept, shared };
      }
      let base: Tree | undefined;
      if (best) {
        base = best.kept.tree.copy();
        base.edit(editBetween(best.kept.text, stretch) as Edit);
      }
      let tree: Tree | null;
      try {
        tree = parser.parse(stretch, base ?? null);
      } finally {
        base?.delete();
      }
      if (!tree) return undefined;
      entry = { text: stretch, tree, contributions: new Map() };
      this.stretches.push(entry);
      while (this.stretches.length > STRETCHES_KEPT) this.stretches.shift()!.tree.delete();
    } else this.stretches = [...this.stretches.filter((kept) => kept !== entry), entry];
    if (!entry.contributions.has(everyImportWord)) entry.contributions.set(everyImportWord, entry.tree.rootNode.hasError ? undefined : contributionOf([entry.tree.rootNode], everyImportWord));
    return entry.contributions.get(everyImportWord);
  }

  /** A parser for stretches, renewed when the scanner's runtime was thrown away. */
  private async stretchParser(): Promise<Parser> {
    const generation = treeSitterResets();
    if (this.parser?.generation !== generation) {
      // Trees of a discarded runtime are unusable.
      this.dropWholeTrees();
      this.parser = { parser: await createParser('python'), generation };
    }
    return this.parser.parser;
  }
}

/** The names a stretch binds for the rest of its file, each with the text that gives its value. */
interface Contribution {
  entries: Map<string, string[]>;
  /** Folders saved in the stretch (every id of the file is compared with them). */
  saved: string;
  /** Loader libraries imported, in order (a local receiver is trusted when the file imports one). */
  modules: string;
  /** A call in the stretch names a loader (or its callee is no plain dotted name). */
  loads: boolean;
  /** Callees that are a single name (an import alias could make one a loader). */
  single: Set<string>;
  calls: number;
}

const FOLDER_KEYWORD = new RegExp(`\\b(?:${[...SAVE_KEYWORDS, DOWNLOAD_FOLDER_KEYWORD].join('|')})\\b`);
const AS_NAME = /\bas\s+([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)/g;
const WORD = /[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/g;
const SCOPES = new Set(['function_definition', 'class_definition', 'lambda', 'decorated_definition']);

/** What the top-level nodes `roots` (in order) tell the rest of their file. */
function contributionOf(roots: SyntaxNode[], everyImportWord: boolean): Contribution {
  // A class's attributes and a function's bindings are read once, however many save calls they hold.
  const memo: Memo = { classes: new Map(), functions: new Map() };
  const entries = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const list = entries.get(name);
    if (list) list.push(value);
    else entries.set(name, [value]);
  };
  const saved: string[] = [];
  const calls: SyntaxNode[] = [];
  for (const node of roots.flatMap((root) => root.descendantsOfType(['import_statement', 'import_from_statement', 'class_definition', 'decorated_definition', 'assignment', 'call']))) {
    if (!node) continue;
    const text = node.text;
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        // Relative imports matter only to workspace wrappers: every word counts then.
        if (everyImportWord) for (const [name] of text.matchAll(WORD)) add(name, text);
        break;
      case 'class_definition':
        // `Name.attr` reads the class body's assignments and `self.attr = ...` in its methods.
        add(node.childForFieldName('name')?.text ?? '', classAttributes(node, memo));
        break;
      case 'decorated_definition':
        // Dataclass fields are looked up by name across the file.
        if (/dataclass/.test(text)) for (const [name] of text.matchAll(WORD)) add(name, text);
        break;
      case 'assignment': {
        const left = node.childForFieldName('left');
        if (left?.type === 'identifier' && atModuleLevel(node)) add(left.text, node.childForFieldName('right')?.text ?? '');
        break;
      }
      case 'call': {
        calls.push(node);
        const fn = node.childForFieldName('function');
        const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
        const args = node.childForFieldName('arguments');
        // A keyword that names a folder is in the call's text (a cheap test before the arguments' nodes).
        if ((name && SAVE_METHODS.has(name)) || (FOLDER_KEYWORD.test(text) && args?.namedChildren.some((a) => a?.type === 'keyword_argument' && (SAVE_KEYWORDS.has(a.childForFieldName('name')?.text ?? '') || a.childForFieldName('name')?.text === DOWNLOAD_FOLDER_KEYWORD)))) saved.push(savedFrom(node, name, memo));
        if (name === 'add_argument') {
          // argparse defaults are looked up by their destination (from a flag or `dest`).
          for (const [flag] of text.matchAll(/[\w-]+/g)) add(flag.replace(/^-+/, '').replace(/-/g, '_'), text);
        }
        break;
      }
    }
  }
  const modules: string[] = [];
  for (const root of roots) {
    const imports = new PythonImports(root);
    for (const [name, binding] of imports.bindings) add(name, `${IMPORT_ENTRY}${binding.module} ${binding.member ?? ''}`);
    for (const module of imports.topLevelModules) if (RECEIVER_LIBRARIES.has(module) && !modules.includes(module)) modules.push(module);
  }
  // A call loads only through a loader's name, or through a single name an import binds with `as`.
  const callees = calls.map((call) => dottedPath(call.childForFieldName('function')));
  const loads = callees.some((path) => !path || LOADER_CALL_NAMES.has(path[path.length - 1]));
  const single = new Set(callees.filter((path) => path?.length === 1).map((path) => path![0]));
  return { entries, saved: saved.join('\n'), modules: modules.join(' '), loads, single, calls: calls.length };
}

/**
 * What the folder a save call writes can be read from: its target expressions, and the code
 * their names resolve in (python-values.ts): in the outermost function around the call, every
 * binding (assignment, loop target, parameter list) of a name read, then of the names those
 * read, until none is added, each with the scopes around it and whether it holds the call
 * (a binding's position against the call decides); the class around it (`self.x`). An edit
 * elsewhere in the function leaves this unchanged. Module-level names it reads are compared by
 * name (entries).
 */
function savedFrom(call: SyntaxNode, name: string | undefined, memo: Memo): string {
  let fn: SyntaxNode | undefined;
  let cls: SyntaxNode | undefined;
  for (let parent = call.parent; parent; parent = parent.parent) {
    if (parent.type === 'function_definition' || parent.type === 'lambda') fn = parent;
    else if (parent.type === 'class_definition') cls ??= parent;
  }
  const { targets, localDir } = saveTargets(call, name);
  const targetText = [...targets.map((t) => `target ${t?.text ?? ''}`), `local_dir ${localDir?.text ?? ''}`].join('\n');
  return [targetText, fn ? bindingsRead(fn, call, targetText, memo) : '', cls ? classAttributes(cls, memo) : ''].join('\n');
}

/** What one contributionOf call has read of its classes and functions, by their span. */
interface Memo {
  classes: Map<string, string>;
  functions: Map<string, FunctionBindings>;
}

/** A function's scopes (in order) and its bindings, each with the scopes around it. */
interface FunctionBindings {
  scopes: { start: number; end: number }[];
  units: { start: number; end: number; around: string; text: string; binds: string[]; words: string[] }[];
}

const spanKey = (node: SyntaxNode) => `${node.startIndex}:${node.endIndex}`;

function functionBindings(fn: SyntaxNode): FunctionBindings {
  const nodes = [fn, ...fn.descendantsOfType(BINDINGS).filter((n): n is SyntaxNode => !!n)];
  // Each scope by its ordinal: a binding moved into another function reads differently.
  const scopes = nodes.filter((n) => INNER_SCOPES.has(n.type)).map((n) => ({ start: n.startIndex, end: n.endIndex }));
  const units = nodes.filter((n) => !INNER_SCOPES.has(n.type)).map((node) => {
    // A loop binds its target; the rest of it (the body) is no binding.
    const text = node.type === 'for_statement' ? (node.childForFieldName('left')?.text ?? '') : node.text;
    const around = scopes.flatMap((scope, i) => (scope.start <= node.startIndex && node.endIndex <= scope.end ? [i] : [])).join(',');
    // What it binds: at most the words of its left side (a parameter list: all of it).
    const left = node.type === 'parameters' || node.type === 'lambda_parameters' ? node.text : (node.childForFieldName('left')?.text ?? node.text);
    const words = (code: string) => [...code.matchAll(WORD)].map(([w]) => w);
    return { start: node.startIndex, end: node.endIndex, around, text, binds: words(left), words: words(text) };
  });
  return { scopes, units };
}

const BINDINGS = ['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'parameters', 'lambda_parameters', 'function_definition', 'lambda', 'class_definition'];
const INNER_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

/** The bindings inside `fn` that resolving the words of `read` can meet, in order (see savedFrom). */
function bindingsRead(fn: SyntaxNode, call: SyntaxNode, read: string, memo: Memo): string {
  let bindings = memo.functions.get(spanKey(fn));
  if (!bindings) memo.functions.set(spanKey(fn), (bindings = functionBindings(fn)));
  const { scopes } = bindings;
  const units = bindings.units.map((unit) => {
    const holds = unit.start <= call.startIndex && call.endIndex <= unit.end;
    return { ...unit, key: `${unit.around}|${holds ? 'holds' : unit.start < call.startIndex ? 'before' : 'after'}|${unit.text}` };
  });
  const names = new Set([...read.matchAll(WORD)].map(([w]) => w));
  const taken = new Set<number>();
  for (let grew = true; grew; ) {
    grew = false;
    units.forEach((unit, i) => {
      if (taken.has(i) || !unit.binds.some((w) => names.has(w))) return;
      taken.add(i);
      for (const w of unit.words) names.add(w);
      grew = true;
    });
  }
  const callScopes = scopes.flatMap((scope, i) => (scope.start <= call.startIndex && call.endIndex <= scope.end ? [i] : [])).join(',');
  return [`scopes ${scopes.length} call in ${callScopes}`, ...units.filter((_, i) => taken.has(i)).map((u) => u.key)].join('\n');
}

/** What `Name.attr` can read of a class: the assignments of its body, and those to `self.x` anywhere in it. */
function classAttributes(cls: SyntaxNode, memo: Memo): string {
  const known = memo.classes.get(spanKey(cls));
  if (known !== undefined) return known;
  // The assignments of the body's own statements, by where they start and end (found from the
  // body down: asking each assignment for its parents costs more).
  const direct = new Map<number, number>();
  for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
    if (statement?.type !== 'expression_statement') continue;
    for (const child of statement.namedChildren) if (child?.type === 'assignment') direct.set(child.startIndex, child.endIndex);
  }
  const out: string[] = [];
  for (const assignment of cls.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    if (!assignment || !left) continue;
    if (direct.get(assignment.startIndex) === assignment.endIndex || left.type === 'attribute') out.push(assignment.text);
  }
  memo.classes.set(spanKey(cls), out.join('\n'));
  return out.join('\n');
}

/** True when no function, class or lambda encloses the node (the resolver's module-level constants). */
function atModuleLevel(node: SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (SCOPES.has(parent.type)) return false;
  return true;
}

/**
 * Names whose entries differ, and the names whose values read them (`A = B` when B changed).
 * `splitImports`: names bound only by imports (not of `os` or `sys`, which values read) go to
 * `imported`: the resolver never reads their binding, only the call matching does, through
 * the head of a called dotted name (headsLoaderCall).
 */
function affectedNames(before: Map<string, string[]>, after: Map<string, string[]>, splitImports: boolean): { affected: Set<string>; imported: Set<string>; loaderMembers: Set<string> } {
  const affected = new Set<string>();
  const imported = new Set<string>();
  const loaderMembers = new Set<string>();
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(name) ?? [];
    const b = after.get(name) ?? [];
    if (!(a.length !== b.length || a.some((value, i) => value !== b[i]))) continue;
    const onlyImports = splitImports && [...a, ...b].every((value) => value.startsWith(IMPORT_ENTRY) && !/^(?:os|sys)\b/.test(value.slice(IMPORT_ENTRY.length)));
    (onlyImports ? imported : affected).add(name);
    if (onlyImports && [...a, ...b].some((value) => LOADER_CALL_NAMES.has(value.slice(IMPORT_ENTRY.length).split(' ')[1] ?? ''))) loaderMembers.add(name);
  }
  for (let grew = affected.size > 0; grew; ) {
    grew = false;
    for (const entries of [before, after]) {
      for (const [name, values] of entries) {
        if (affected.has(name)) continue;
        if (values.some((value) => [...value.matchAll(WORD)].some(([word]) => affected.has(word)))) {
          affected.add(name);
          grew = true;
        }
      }
    }
  }
  return { affected, imported, loaderMembers };
}

/** The value an import binding's entry has: its module and member. */
const IMPORT_ENTRY = 'import-binding ';

/**
 * True when text outside [from, to) may call through one of `names` on the way to a loader:
 * `name(...)` when the name imports a loader function in either version (`loaderMembers`), or a
 * dotted call `name.a.b(...)` ending in a loader's name (the head decides the library a loader
 * comes from).
 */
function headsLoaderCall(text: string, from: number, to: number, names: Set<string>, loaderMembers: Set<string>): boolean {
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const call = new RegExp(`(?<![\\w\u0080-\uffff.])${escaped}((?:[\\s\\\\]*\\.[\\s\\\\]*[A-Za-z_\u0080-\uffff][\\w\u0080-\uffff]*)*)[\\s\\\\]*\\(`, 'g');
    for (const match of text.matchAll(call)) {
      if (match.index >= from && match.index < to) continue;
      const path = match[1].split('.').map((part) => part.replace(/[\s\\]/g, ''));
      if (path.length === 1 ? loaderMembers.has(name) : LOADER_CALL_NAMES.has(path[path.length - 1])) return true;
    }
  }
  return false;
}

/** A top-level statement as the lexical pass cut it. */
interface Statement {
  start: number;
  end: number;
  definition: boolean;
  classes: string[];
}

/** Words that make a function's reads count: its calls may load, read argparse defaults or save a folder. */
const READING_WORDS = new Set([...LOADER_CALL_NAMES, 'add_argument', ...SAVE_METHODS, ...SAVE_KEYWORDS, DOWNLOAD_FOLDER_KEYWORD]);

/**
 * True when code in `ranges` outside [from, to) may read one of `names` on the way to a
 * reference. Read are the words of the statements that can load, save or define what loaders
 * look up by name (a loader or `as` name, argparse, a save, a dataclass), and then, until
 * nothing is added, the words of every statement that binds a name read: a module constant, a
 * function, a class (its attributes are read through its name). `aliases`: loader names
 * imported `as` another name.
 */
function readsAnyOf(text: string, ranges: TextRange[], segments: Statement[], from: number, to: number, names: Set<string>, options: ScanOptions, aliases: Set<string>): boolean {
  // Workspace wrappers are called by any name: every mention counts.
  if (options.workspace?.wrappers.size || options.workspace?.hubClasses.size) return readsAny(text, ranges, from, to, names);
  const read = new Set<string>();
  let waiting: { words: string[]; binds: string[] }[] = [];
  for (const segment of segments) {
    if (segment.end > from && segment.start < to) continue;
    if (!ranges.some((r) => r.start <= segment.start && segment.start < r.end)) continue;
    const code = text.slice(segment.start, segment.end);
    const words = [...withoutComments(code).matchAll(WORD)].map(([word]) => word);
    if (words.some((word) => READING_WORDS.has(word) || aliases.has(word) || word === 'dataclass')) for (const word of words) read.add(word);
    else waiting.push({ words, binds: boundNames(code, segment) });
  }
  for (let grew = true; grew; ) {
    grew = false;
    waiting = waiting.filter(({ words, binds }) => {
      if (!binds.some((name) => read.has(name))) return true;
      for (const word of words) read.add(word);
      grew = true;
      return false;
    });
  }
  for (const name of names) if (read.has(name)) return true;
  return false;
}

/** A lone `=` (an assignment, a keyword argument, a walrus): not `==`, `<=`, `>=`, `!=`. */
const LONE_EQUALS = /(?<![=<>!])=(?!=)/g;
const COMPOUND = /^(?:if|elif|else|for|while|try|except|finally|with|match|async|del|global)\b/;
const IMPORT = /^(?:import|from)\b/;
/** The code without its comments, where a line shows them plainly (no quote on it that could hold a `#`). */
function withoutComments(code: string): string {
  return code.replace(/^[^\n'"#]*#.*$/gm, (line) => line.slice(0, line.indexOf('#')));
}

/**
 * Why what the touched statements tell the rest of the file changed for a name it reads (the
 * whole text is read then), or undefined when it did not: `before` and `after` are what the
 * statements [stretchStart, oldStretchEnd) of the previous version and their edited form tell.
 */
function feltElsewhere(previous: Kept, stretchStart: number, oldStretchEnd: number, before: Contribution, after: Contribution, options: ScanOptions, aliases: Set<string>): string | undefined {
  if (before.saved !== after.saved || before.modules !== after.modules) return 'saved folders or imported libraries changed';
  // The whole text is read now, definitions the kept ranges leave out included (the same
  // text as before outside the touched statements: the previous version's are searched).
  const { affected, imported, loaderMembers } = affectedNames(before.entries, after.entries, true);
  if (affected.size && readsAnyOf(previous.text, [{ start: 0, end: previous.text.length }], previous.segments, stretchStart, oldStretchEnd, affected, options, aliases)) return 'a name read elsewhere changed';
  if (imported.size && headsLoaderCall(previous.text, stretchStart, oldStretchEnd, imported, loaderMembers)) return 'an imported name a loader call reads changed';
  // A save call in the touched statements reading a changed name may save another folder.
  if (affected.size && [...after.saved.matchAll(WORD)].some(([word]) => affected.has(word))) return 'a saved folder changed';
  return undefined;
}

/** mightLoadModels' search (python.ts), here finding where a hint occurs. */
const ANY_HINT = new RegExp(
  LOADER_HINTS.filter((hint) => !LOADER_HINTS.some((other) => other !== hint && hint.includes(other)))
    .map((hint) => hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
);

/** Where a loader hint occurs in the text (undefined when none does: mightLoadModels is false). */
function hintIn(text: string): TextRange | undefined {
  const found = ANY_HINT.exec(text);
  return found ? { start: found.index, end: found.index + found[0].length } : undefined;
}

/** A hint of the last version in the edited text, moved; undefined when the edit touched it. */
function movedHint(hint: TextRange, stretch: Stretch): TextRange | undefined {
  if (hint.end <= stretch.start) return hint;
  const delta = stretch.newEnd - stretch.oldEnd;
  return hint.start >= stretch.oldEnd ? { start: hint.start + delta, end: hint.end + delta } : undefined;
}

/**
 * scanPython(text, options) for a text known to name a loader hint and no workspace loader, with
 * a partial scan's ranges (IncrementalScans.scan checked both): the whole text is not searched
 * for a hint again.
 */
async function scanLoading(text: string, options: ScanOptions & { partial: PartialScan }): Promise<ModelReference[]> {
  const nesting = nestingProblem(text);
  if (nesting) throw new UnscannableFile(nesting);
  if (!options.partial.ranges) return [];
  return parseAndScan(text, options);
}

/** Python's keywords: never a name bound or read. */
const KEYWORDS = new Set('False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '));

/**
 * At least the names a top-level statement binds: a definition's name and the classes inside;
 * for a simple statement the words before its last lone `=` (every target of `a = b = ...`);
 * all words of an import or a compound statement (bindings in its blocks).
 */
function boundNames(code: string, segment: Statement): string[] {
  if (segment.definition) {
    const name = /^(?:async\s+)?(?:def|class)\s+([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)/m.exec(code)?.[1];
    return [...segment.classes, ...(name ? [name] : [])];
  }
  // Comments (the ones that follow the statement, too) bind nothing.
  if (COMPOUND.test(code) || IMPORT.test(code)) return [...withoutComments(code).matchAll(WORD)].map(([word]) => word).filter((word) => !KEYWORDS.has(word));
  let last = -1;
  for (const match of code.matchAll(LONE_EQUALS)) last = match.index;
  // Without one, an expression (a docstring, a call) binds nothing.
  return last < 0 ? [] : [...code.slice(0, last).matchAll(WORD)].map(([word]) => word).filter((word) => !KEYWORDS.has(word));
}

/** True when kept code outside [from, to) names one of `names` (as a whole word). */
function readsAny(text: string, ranges: TextRange[], from: number, to: number, names: Set<string>): boolean {
  const outside = ranges.flatMap((r) => [
    { start: r.start, end: Math.min(r.end, from) },
    { start: Math.max(r.start, to), end: r.end },
  ]).filter((r) => r.start < r.end);
  for (const name of names) {
    for (const range of outside) {
      for (let at = text.indexOf(name, range.start); at >= 0 && at + name.length <= range.end; at = text.indexOf(name, at + 1)) {
        if (!isWordPart(text.charCodeAt(at - 1)) && !isWordPart(text.charCodeAt(at + name.length))) return true;
      }
    }
  }
  return false;
}

const isWordPart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;

type Stretch = ReturnType<typeof changedStretch>;

/** A whole-text tree's top-level nodes: those ending at or before `start`, those starting at or after `end`, and the rest. */
function splitTopLevel(root: SyntaxNode, start: number, end: number): { before: SyntaxNode[]; middle: SyntaxNode[]; after: SyntaxNode[] } {
  const out = { before: [] as SyntaxNode[], middle: [] as SyntaxNode[], after: [] as SyntaxNode[] };
  for (const node of root.children) {
    if (!node) continue;
    (node.endIndex <= start ? out.before : node.startIndex >= end ? out.after : out.middle).push(node);
  }
  return out;
}

/** True when `now` are the nodes `was`, moved by `delta`, none of them with a syntax error (same text there: the same subtrees). */
function sameNodes(was: SyntaxNode[], now: SyntaxNode[], delta: number): boolean {
  return was.length === now.length && now.every((node, i) => !node.hasError && node.type === was[i].type && node.startIndex === was[i].startIndex + delta && node.endIndex === was[i].endIndex + delta);
}

/** A whole-text parse of `text` from `tree` (a tree of `before`, left as it is). */
function parseFrom(parser: Parser, tree: Tree, before: string, text: string, options: ScanOptions): Tree | undefined {
  const copy = tree.copy();
  try {
    copy.edit(editBetween(before, text) as Edit);
    return parser.parse(text, copy, { progressCallback: budget(options) }) ?? undefined;
  } finally {
    copy.delete();
  }
}

/** A progress callback that cancels a parse after the scan's budget. */
function budget(options: ScanOptions): () => boolean {
  const deadline = Date.now() + (options.parseBudgetMs ?? PARSE_BUDGET_MS);
  return () => Date.now() > deadline;
}

/** The widest leading whitespace (tabs to the next multiple of 8) of the lines meeting [start, end]. */
function widestIndent(text: string, start: number, end: number): number {
  let widest = 0;
  for (let i = text.lastIndexOf('\n', start - 1) + 1; i <= end && i < text.length; ) {
    let width = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) width++;
      else if (c === 9) width = (Math.floor(width / 8) + 1) * 8;
      else if (c !== 12) break;
    }
    widest = Math.max(widest, width);
    const next = text.indexOf('\n', i);
    if (next < 0) break;
    i = next + 1;
  }
  return widest;
}

function record(answers: Map<string, boolean>, path: string, answer: boolean): boolean {
  answers.set(path, answer);
  return answer;
}

/** True when the text binds one of `names` with `import ... as name`. */
function hasAlias(text: string, names: Set<string>): boolean {
  for (const [, name] of text.matchAll(AS_NAME)) if (names.has(name)) return true;
  return false;
}

function sameRanges(a: TextRange[], b: TextRange[]): boolean {
  return a.length === b.length && a.every((r, i) => r.start === b[i].start && r.end === b[i].end);
}

/** True when [start, end) (or the point `start` of an empty stretch) meets a range. */
function overlapsAny(ranges: TextRange[], start: number, end: number): boolean {
  return ranges.some((r) => (start === end ? r.start <= start && start < r.end : r.start < end && start < r.end));
}

function lineBreaks(text: string, start: number, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Index of the last value <= offset in an ascending list (0 when none). */
function lastAtOrBefore(values: number[], offset: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (values[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** A copy of the reference with every offset at or after `from` moved by `delta`. */
function shifted(reference: ModelReference, delta: number, from: number): ModelReference {
  const move = (offset: number) => (offset >= from ? offset + delta : offset);
  const span = (s: Span): Span => ({ start: move(s.start), end: move(s.end) });
  const copy: ModelReference = { ...reference, idSpan: span(reference.idSpan), callSpan: span(reference.callSpan), argsEnd: move(reference.argsEnd), options: {} };
  if (reference.revision) copy.revision = { ...reference.revision, span: span(reference.revision.span) };
  if (reference.revisionInsert) copy.revisionInsert = { ...reference.revisionInsert, offset: move(reference.revisionInsert.offset) };
  for (const [name, value] of Object.entries(reference.options)) copy.options[name] = { ...value, span: span(value.span) };
  return copy;
}
