// The workspace symbol index: what one file's scan needs to know about the others.
// - Hub model classes: classes that subclass ModelHubMixin / PyTorchModelHubMixin /
//   PreTrainedModel (directly or through other workspace classes), so `MyNet.from_pretrained("org/x")`
//   is a load wherever MyNet is imported from.
// - Wrappers: top-level functions whose parameter reaches a loader's id argument, so a call
//   `download("org/x", "file.bin")` is a load with the id written at the call site. One level deep:
//   a wrapper of a wrapper is not followed.
// The engine builds the index once per workspace scan and passes it in the scan options; without
// it (a single file in the editor) every file is scanned on its own, as before.
import type { SyntaxNode } from './tree-sitter';
import { LOADERS } from './loaders';
import { scanPython } from './python';

export interface WrapperSpec {
  /** "relative/path.py:name", unique in the workspace. */
  key: string;
  name: string;
  /** File that defines it, relative to the workspace root. */
  file: string;
  /** Dotted module names the file can be imported as ("pkg.utils", "utils"). */
  modules: string[];
  /** 1-based line of the definition, for messages. */
  line: number;
  /** The parameter that reaches the id, and its position among positional parameters (-1: keyword-only). */
  parameter: string;
  position: number;
  /** Registry entry (LoaderSpec.name) of the inner call, and the reference fields it gives. */
  loaderSpec: string;
  loader: string;
  library: string;
  receiver?: string;
  /** Offset of the inner call's id argument in `file`. */
  innerIdStart: number;
}

export interface HubClass {
  library: string;
  /** Modules of the files that define a class of that name. */
  modules: string[];
  files: string[];
}

export interface WorkspaceSymbols {
  hubClasses: Map<string, HubClass>;
  wrappers: Map<string, WrapperSpec[]>;
  /** Wrapper keys with at least one call site whose id resolved. */
  resolvedCalls: Set<string>;
  /** Wrapper keys with a call site whose id is decided at run time: their inner reference stays. */
  unresolvedCalls: Set<string>;
  /** Folders some file of the workspace saves a model to (literal arguments): loading them reads that folder. */
  savedFolders: Set<string>;
}

export interface SourceText {
  relativePath: string;
  text: string;
}

/** Base classes (last dotted segment) that give a class `from_pretrained` from the Hub, and the library that loads. */
const HUB_BASES: [RegExp, string][] = [
  [/^(PyTorchModelHubMixin|ModelHubMixin|KerasModelHubMixin)$/, 'huggingface_hub'],
  [/PreTrainedModel$/, 'transformers'],
  [/^ModelMixin$/, 'diffusers'],
];

const CLASS_HEADER = /^[ \t]*class[ \t]+(\w+)[ \t]*\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*:/gm;

/** True when the text names a workspace wrapper or Hub class (then it is worth parsing even without a loader hint). */
export function mentionsWorkspaceLoader(text: string, symbols: WorkspaceSymbols | undefined): boolean {
  if (!symbols) return false;
  return namesWrapper(text, symbols) || usesAny(text, symbols.hubClasses, (hubClass) => hubClass.modules);
}

/**
 * True when the text may use one of the names (mayUse). Many names are not each searched for in
 * the text: the text's words are looked up among them, so a big workspace costs one pass per file.
 */
function usesAny<V>(text: string, names: Map<string, V>, modulesOf: (value: V) => readonly string[], counts: (name: string) => boolean = () => true): boolean {
  if (names.size <= FEW_NAMES) {
    for (const [name, value] of names) if (mayUse(text, name, modulesOf(value)) && counts(name)) return true;
    return false;
  }
  // Names long enough for a search: it jumps over most of the text instead of hashing every word.
  const search = namesSearchOf(names);
  if (search.current()) {
    const rejected = new Set<string>();
    return search.someName(text, (word) => {
      const value = names.get(word);
      if (value === undefined || rejected.has(word)) return false;
      if (mayUseWord(text, word, modulesOf(value)) && counts(word)) return true;
      rejected.add(word);
      return false;
    });
  }
  // The text's words are hashed in one pass; only a word whose hash is a name's is cut out and looked up.
  const hashes = nameHashes(names);
  // Names already found not to count here (a name may occur many times).
  const rejected = new Set<string>();
  for (let i = 0; i < text.length; ) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let hash = 0;
    let j = i;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (!isWordChar(c)) break;
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    if (hashes.filter[(hash >>> 5) & FILTER_MASK] & (1 << (hash & 31)) && hashes.ascii.has(hash)) {
      const word = text.slice(i, j);
      const value = names.get(word);
      if (value !== undefined && !rejected.has(word)) {
        if (mayUseWord(text, word, modulesOf(value)) && counts(word)) return true;
        rejected.add(word);
      }
    }
    i = j;
  }
  for (const name of hashes.others) if (mayUse(text, name, modulesOf(names.get(name)!)) && counts(name)) return true;
  return false;
}

/** Per map of names (as hashesOf): a search for them, kept while the map only grows and rebuilt otherwise. */
const searchesOf = new WeakMap<Map<string, unknown>, { search: NamesSearch; names: string[] }>();
function namesSearchOf(names: Map<string, unknown>): NamesSearch {
  let known = searchesOf.get(names);
  if (known && known.names.length !== names.size) {
    // The search adds a map's names after those it holds: only right when the map kept its first names in order.
    const keys = names.keys();
    let grew = known.names.length < names.size;
    for (let k = 0; grew && k < known.names.length; k++) grew = keys.next().value === known.names[k];
    if (grew) for (const name of keys) known.names.push(name);
    else known = undefined;
  }
  if (!known) searchesOf.set(names, (known = { search: new NamesSearch([names]), names: [...names.keys()] }));
  return known.search;
}

/** Up to this many names are each searched for in the text; more are looked up by the text's words. */
const FEW_NAMES = 8;
const ASCII_WORD = /^\w+$/;

interface NameHashes {
  size: number;
  /** Hashes of the names made of `\w` characters: such a name matches `\bname\b` exactly where it is a maximal run of them. */
  ascii: Set<number>;
  /** A bit per hash in `ascii` (a word whose bit is clear is no name): cheaper than the set for the many words that are not names. */
  filter: Uint32Array;
  /** The other names (`\b` reads them differently): searched for one by one. */
  others: string[];
  /** The names hashed, in the map's order (to tell a map that only grew). */
  last: string[];
}

/** Words of the filter, less one (2^18 bits: a few thousand names leave most words' bits clear). */
const FILTER_MASK = (1 << 13) - 1;

/** Per map of names, rebuilt when it grows (names are only ever added). */
const hashesOf = new WeakMap<Map<string, unknown>, NameHashes>();
function nameHashes(names: Map<string, unknown>): NameHashes {
  let known = hashesOf.get(names);
  if (known?.size === names.size) return known;
  // A map that grew keeps its first names in order: only the names after them are hashed (an
  // index that learns thousands of wrappers one at a time would otherwise hash them all each time).
  const keys = names.keys();
  let skip = 0;
  if (known && known.size < names.size) {
    for (; skip < known.size; skip++) if (keys.next().value !== known.last[skip]) break;
  }
  if (!known || skip < known.size) {
    known = { size: 0, ascii: new Set(), filter: new Uint32Array(FILTER_MASK + 1), others: [], last: [] };
    skip = 0;
  }
  const fresh = skip === 0 ? names.keys() : keys;
  known.size = names.size;
  for (const name of fresh) {
    known.last.push(name);
    if (!ASCII_WORD.test(name)) {
      known.others.push(name);
      continue;
    }
    let hash = 0;
    for (let k = 0; k < name.length; k++) hash = (Math.imul(hash, 31) + name.charCodeAt(k)) | 0;
    known.ascii.add(hash);
    known.filter[(hash >>> 5) & FILTER_MASK] |= 1 << (hash & 31);
  }
  hashesOf.set(names, known);
  return known;
}

/**
 * The distinct words of a file, as the hashes usesAny gives them, in two lists: the words used at
 * least once other than right after `def`, and the words only ever defined (`def name`). Hashed
 * from the text or from its UTF-8 bytes they are the same (words are runs of ASCII word
 * characters, and no byte of a multi-byte character is ASCII). Kept per file, they answer "may
 * this file name, or call, one of these names?" without reading the file again.
 */
export interface FileWords {
  used: Int32Array;
  definedOnly: Int32Array;
}

export function wordHashes(data: Uint8Array | string): FileWords {
  filesHashed++;
  const table = new WordTable(data.length);
  if (typeof data === 'string') hashStringWords(data, table);
  else hashByteWords(data, table);
  return table.words();
}

/**
 * A word counts as defined when the word before it is `def` and only 1 to 13 spaces or tabs lie
 * between (so onlyDefined's look-behind of 16 characters sees the whole `def`): never more often
 * than onlyDefined says, so the words "used" are a superset of what mayCallWrapper counts.
 */
const MAX_DEF_GAP = 13;
const SPACE = 32;
const TAB = 9;

// Two loops, one per kind of input, so each stays monomorphic (this runs over every byte of a tree).
function hashByteWords(data: Uint8Array, table: WordTable): void {
  const length = data.length;
  let defEnd = -1;
  for (let i = 0; i < length; ) {
    let c = data[i];
    if (!isWordChar(c)) {
      if (c !== SPACE && c !== TAB) defEnd = -1;
      i++;
      continue;
    }
    const defined = defEnd >= 0 && i - defEnd <= MAX_DEF_GAP && i > defEnd;
    const start = i;
    let hash = 0;
    do {
      hash = (Math.imul(hash, 31) + c) | 0;
      c = ++i < length ? data[i] : 0;
    } while (isWordChar(c));
    table.add(hash, !defined);
    defEnd = i - start === 3 && data[start] === 100 && data[start + 1] === 101 && data[start + 2] === 102 ? i : -1;
  }
}

function hashStringWords(data: string, table: WordTable): void {
  const length = data.length;
  let defEnd = -1;
  for (let i = 0; i < length; ) {
    let c = data.charCodeAt(i);
    if (!isWordChar(c)) {
      if (c !== SPACE && c !== TAB) defEnd = -1;
      i++;
      continue;
    }
    const defined = defEnd >= 0 && i - defEnd <= MAX_DEF_GAP && i > defEnd;
    const start = i;
    let hash = 0;
    do {
      hash = (Math.imul(hash, 31) + c) | 0;
      c = ++i < length ? data.charCodeAt(i) : 0;
    } while (isWordChar(c));
    table.add(hash, !defined);
    defEnd = i - start === 3 && data.charCodeAt(start) === 100 && data.charCodeAt(start + 1) === 101 && data.charCodeAt(start + 2) === 102 ? i : -1;
  }
}

const PRESENT = 1;
const USED = 2;

/** The distinct hashes of a text: open addressing over a typed array (a Set costs several times more per word). */
class WordTable {
  private slots: Int32Array;
  /** PRESENT for a slot holding a hash (a hash may be 0), USED once it occurred other than after `def`. */
  private flags: Uint8Array;
  private count = 0;

  constructor(textLength: number) {
    // Distinct words grow far slower than the text: start small, double when half full.
    let size = 256;
    while (size < textLength / 16 && size < 1 << 16) size <<= 1;
    this.slots = new Int32Array(size);
    this.flags = new Uint8Array(size);
  }

  add(hash: number, used: boolean, flags = PRESENT | (used ? USED : 0)): void {
    const mask = this.slots.length - 1;
    let slot = (hash ^ (hash >>> 15)) & mask;
    while (this.flags[slot]) {
      if (this.slots[slot] === hash) {
        this.flags[slot] |= flags;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.flags[slot] = flags;
    this.slots[slot] = hash;
    if (++this.count * 2 > this.slots.length) this.grow();
  }

  words(): FileWords {
    let usedCount = 0;
    for (let slot = 0; slot < this.flags.length; slot++) if (this.flags[slot] & USED) usedCount++;
    const used = new Int32Array(usedCount);
    const definedOnly = new Int32Array(this.count - usedCount);
    for (let slot = 0, u = 0, d = 0; slot < this.slots.length; slot++) {
      if (this.flags[slot] & USED) used[u++] = this.slots[slot];
      else if (this.flags[slot]) definedOnly[d++] = this.slots[slot];
    }
    return { used, definedOnly };
  }

  private grow(): void {
    const { slots, flags } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.flags = new Uint8Array(slots.length * 2);
    this.count = 0;
    for (let slot = 0; slot < slots.length; slot++) if (flags[slot]) this.add(slots[slot], false, flags[slot]);
  }
}

/**
 * False when a file with these words surely names none of the names (then mayUse and the lookups
 * built on it are false for it); true when it may, and the text must be read. `calls`: only the
 * words used other than after `def` count (a superset of mayCallWrapper's names).
 */
export function mayNameAny(words: FileWords, names: Map<string, unknown>, calls = false): boolean {
  if (!names.size) return false;
  const hashes = nameHashes(names);
  if (hashes.others.length) return true;
  return anyName(words.used, hashes) || (!calls && anyName(words.definedOnly, hashes));
}

function anyName(words: Int32Array, { filter, ascii }: NameHashes): boolean {
  for (let i = 0; i < words.length; i++) {
    const hash = words[i];
    if (filter[(hash >>> 5) & FILTER_MASK] & (1 << (hash & 31)) && ascii.has(hash)) return true;
  }
  return false;
}

/** Names at least this long are searched for as substrings (the search jumps by up to the shortest); shorter ones are looked up by the file's words. */
const MIN_SEARCHED_NAME = 6;
/** The search's window is the shortest name's length, up to this: a longer window jumps further. */
const MAX_WINDOW = 12;

/**
 * The names of some maps that only grow (a scan's wrappers and Hub classes), searched for in a
 * file's bytes or text: what mayNameAny answers from the file's wordHashes, without hashing every
 * word of every file. A table of two-byte blocks of the names' first bytes lets the search jump
 * over most of the file (Wu-Manber) by up to the shortest name's length (at most MAX_WINDOW) less
 * one; where a name may start, the whole word there is hashed and looked up. Names added to a map are added to the search. It cannot search for a name shorter
 * than MIN_SEARCHED_NAME or not made of ASCII word characters: then `current` is false and callers
 * hash the file's words.
 */
export class NamesSearch {
  /** The window's length: the shortest name's, at most MAX_WINDOW. */
  private window = MAX_WINDOW;
  /** How far the window (a name's first `window` bytes) may move when its last two bytes are this block. */
  private readonly shift = new Uint8Array(65536).fill(MAX_WINDOW - 1);
  private readonly hashes = new Set<number>();
  /** Every name searched for (a shorter name rebuilds the table for a shorter window). */
  private readonly names: string[] = [];
  /** Names of each map already in the search (a map's new names come after them). */
  private readonly seen: number[];
  private searchable = true;
  /** Names added so far (tests count them). */
  added = 0;
  /** Words hashed and looked up where a name may start (tests count them). */
  examined = 0;

  constructor(private readonly maps: readonly Map<string, unknown>[]) {
    this.seen = maps.map(() => 0);
  }

  /** True while every name can be searched for (the maps' new names are added first). */
  current(): boolean {
    for (let m = 0; m < this.maps.length && this.searchable; m++) {
      const map = this.maps[m];
      if (map.size === this.seen[m]) continue;
      if (map.size < this.seen[m]) return (this.searchable = false);
      let skip = this.seen[m];
      for (const name of map.keys()) {
        if (skip-- > 0) continue;
        if (name.length < MIN_SEARCHED_NAME || !ASCII_WORD.test(name)) return (this.searchable = false);
        this.add(name);
      }
      this.seen[m] = map.size;
    }
    return this.searchable;
  }

  /**
   * False when the file surely names none of the names as a word (`calls`: none other than right
   * after `def`), as mayNameAny over its wordHashes says; true when it may, or cannot be searched.
   */
  mayName(data: Uint8Array | string, calls = false): boolean {
    if (!this.current()) return true;
    return typeof data === 'string' ? this.inText(data, calls) : this.inBytes(data, calls);
  }

  /**
   * True when `accept` takes one of the text's words that may be a name (hash lookup; `accept` checks
   * the word and where it starts), looking at no other word: every whole-word occurrence of a name is offered. Callers check current() first.
   */
  someName(data: string, accept: (word: string, start: number) => boolean): boolean {
    const { shift, hashes, window } = this;
    const length = data.length;
    for (let i = window - 1; i < length; ) {
      // A character past Latin-1 is read by its low byte for the jump only: names are ASCII, the lookup is exact.
      const step = shift[((data.charCodeAt(i - 1) & 0xff) << 8) | (data.charCodeAt(i) & 0xff)];
      if (step !== 0) {
        i += step;
        continue;
      }
      const start = i - window + 1;
      if (start > 0 && isWordChar(data.charCodeAt(start - 1))) {
        i++;
        continue;
      }
      this.examined++;
      let hash = 0;
      let end = start;
      for (let c = data.charCodeAt(end); end < length && isWordChar(c); c = data.charCodeAt(++end)) hash = (Math.imul(hash, 31) + c) | 0;
      if (hashes.has(hash) && accept(data.slice(start, end), start)) return true;
      i = end + window;
    }
    return false;
  }

  private add(name: string): void {
    this.names.push(name);
    if (name.length < this.window) {
      // A shorter window: every name's blocks again, for it.
      this.window = name.length;
      this.shift.fill(this.window - 1);
      for (const known of this.names) this.addBlocks(known);
    } else this.addBlocks(name);
    let hash = 0;
    for (let k = 0; k < name.length; k++) hash = (Math.imul(hash, 31) + name.charCodeAt(k)) | 0;
    this.hashes.add(hash);
    this.added++;
  }

  /** The blocks of the name's first `window` bytes: how far each may be from the window's end. */
  private addBlocks(name: string): void {
    const { shift, window } = this;
    for (let end = 1; end < window; end++) {
      const block = (name.charCodeAt(end - 1) << 8) | name.charCodeAt(end);
      shift[block] = Math.min(shift[block], window - 1 - end);
    }
  }

  // Bytes get their own loop, so it stays monomorphic (as wordHashes); text goes through someName.
  private inBytes(data: Uint8Array, calls: boolean): boolean {
    const { shift, hashes, window } = this;
    const length = data.length;
    for (let i = window - 1; i < length; ) {
      const step = shift[(data[i - 1] << 8) | data[i]];
      if (step !== 0) {
        i += step;
        continue;
      }
      // A name is a whole word: it starts where a word does.
      const start = i - window + 1;
      if (start > 0 && isWordChar(data[start - 1])) {
        i++;
        continue;
      }
      this.examined++;
      let hash = 0;
      let end = start;
      for (let c = data[end]; end < length && isWordChar(c); c = data[++end]) hash = (Math.imul(hash, 31) + c) | 0;
      if (hashes.has(hash) && !(calls && afterDef(data, start))) return true;
      // The next word starts past this one's end.
      i = end + window;
    }
    return false;
  }

  private inText(data: string, calls: boolean): boolean {
    return this.someName(data, calls ? (_word, start) => !afterDef(data, start) : () => true);
  }

}

/** True when the word at `start` counts as defined in wordHashes: right after the word `def` and 1 to MAX_DEF_GAP spaces or tabs. */
function afterDef(data: Uint8Array | string, start: number): boolean {
  const at = typeof data === 'string' ? (k: number) => data.charCodeAt(k) : (k: number) => data[k];
  let p = start - 1;
  while (p >= 0 && (at(p) === SPACE || at(p) === TAB)) p--;
  const gap = start - 1 - p;
  if (gap < 1 || gap > MAX_DEF_GAP || p < 2) return false;
  return at(p) === 102 && at(p - 1) === 101 && at(p - 2) === 100 && (p < 3 || !isWordChar(at(p - 3)));
}

/** How many files' words were hashed (tests count them). */
let filesHashed = 0;
export function wordHashesComputed(): number {
  return filesHashed;
}

/** mayNameAny for the names mentionsWorkspaceLoader looks for: the wrappers and the Hub classes. */
export function mayNameWorkspaceLoader(words: FileWords, symbols: WorkspaceSymbols): boolean {
  return mayNameAny(words, symbols.wrappers) || mayNameAny(words, symbols.hubClasses);
}

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;

/**
 * True when the text may use a workspace function or class of this name: the name as a word, and
 * either its definition or the last part of a module it lives in (an import of it). Common names
 * such as `load` would otherwise send every file to a full parse.
 */
function mayUse(text: string, name: string, modules: readonly string[]): boolean {
  if (!text.includes(name) || !new RegExp(`\\b${name}\\b`).test(text)) return false;
  return mayUseWord(text, name, modules);
}

/** mayUse for a name known to be a word of the text. */
function mayUseWord(text: string, name: string, modules: readonly string[]): boolean {
  if (new RegExp(`\\b(?:def|class)\\s+${name}\\b`).test(text)) return true;
  return modules.some((module) => text.includes(module.slice(module.lastIndexOf('.') + 1)));
}

/** What a scan on another thread learnt about the workspace, in plain lists (it travels by message). */
export interface SymbolsLearnt {
  wrappers: WrapperSpec[];
  resolvedCalls: string[];
  unresolvedCalls: string[];
}

/** What `after` knows that `before` did not: the wrappers and call sites a scan noted. */
export function symbolsLearnt(before: { wrapperKeys: Set<string>; resolved: Set<string>; unresolved: Set<string> }, after: WorkspaceSymbols): SymbolsLearnt {
  return {
    wrappers: [...after.wrappers.values()].flat().filter((w) => !before.wrapperKeys.has(w.key)),
    resolvedCalls: [...after.resolvedCalls].filter((k) => !before.resolved.has(k)),
    unresolvedCalls: [...after.unresolvedCalls].filter((k) => !before.unresolved.has(k)),
  };
}

/** Adds what another thread's scan learnt to the index. */
export function mergeSymbols(symbols: WorkspaceSymbols, learnt: SymbolsLearnt): void {
  for (const wrapper of learnt.wrappers) {
    const known = symbols.wrappers.get(wrapper.name) ?? [];
    if (!known.some((w) => w.key === wrapper.key)) symbols.wrappers.set(wrapper.name, [...known, wrapper]);
  }
  for (const key of learnt.resolvedCalls) symbols.resolvedCalls.add(key);
  for (const key of learnt.unresolvedCalls) symbols.unresolvedCalls.add(key);
}

export function emptySymbols(): WorkspaceSymbols {
  return { hubClasses: new Map(), wrappers: new Map(), resolvedCalls: new Set(), unresolvedCalls: new Set(), savedFolders: new Set() };
}

/** The dotted names a Python file can be imported as: every suffix of its path ("src.pkg.m", "pkg.m", "m"). */
export function moduleNames(relativePath: string): string[] {
  const parts = relativePath.replace(/\.py$/i, '').split('/').filter(Boolean);
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.map((_, i) => parts.slice(i).join('.')).filter(Boolean);
}

/**
 * Builds the whole index from the workspace's Python files, for callers that scan files one by one
 * afterwards: classes by a text pass, wrappers by scanning the files (the scan notes them), then the
 * wrappers' call sites by scanning the files that name one. scanWorkspace builds the same index
 * while it analyses (engine/workspace.ts), so files are not scanned twice more there.
 */
export async function buildWorkspaceSymbols(files: SourceText[]): Promise<WorkspaceSymbols> {
  const symbols = hubClassSymbols(files);
  for (const file of files) await scanQuietly(file, symbols);
  for (const file of files) if (namesWrapper(file.text, symbols)) await scanQuietly(file, symbols);
  return symbols;
}

/**
 * A fresh index holding the Hub model classes of these files (a text pass, no parsing).
 * `savingFiles`: the files the saved-folder pass reads, when the caller knows that the others
 * contain none of SAVED_FOLDER_WORDS.
 */
export function hubClassSymbols(files: SourceText[], savingFiles: SourceText[] = files): WorkspaceSymbols {
  const symbols = emptySymbols();
  collectHubClasses(files, symbols);
  collectSavedFolders(savingFiles, symbols);
  return symbols;
}

/** A Hub class needs a base with one of these words somewhere in the workspace: without one, no class is a Hub class. */
export const HUB_BASE_WORDS: readonly string[] = ['ModelHubMixin', 'PreTrainedModel', 'ModelMixin'];
/** Words SAVED_FOLDER needs: a file with none of them saves nothing. */
export const SAVED_FOLDER_WORDS: readonly string[] = ['.save', 'output_dir', 'save_directory'];

/** True when the bytes may name a workspace wrapper or Hub class (a superset of mentionsWorkspaceLoader, without decoding). */
export function mayMentionWorkspaceLoader(bytes: Buffer, symbols: WorkspaceSymbols | undefined, words?: FileWords): boolean {
  if (!symbols) return false;
  // One search per name would make a workspace with thousands of wrappers quadratic: the file's
  // words (hashed from its bytes) are looked up instead, and only a file that may name one is decoded.
  if (symbols.wrappers.size + symbols.hubClasses.size > FEW_NAMES) return (!words || mayNameWorkspaceLoader(words, symbols)) && mentionsWorkspaceLoader(bytes.toString('utf8'), symbols);
  for (const name of symbols.wrappers.keys()) if (bytes.includes(name)) return true;
  for (const name of symbols.hubClasses.keys()) if (bytes.includes(name)) return true;
  return false;
}

/**
 * The part of a text that hubClassSymbols reads (class headers and literal save folders), one per
 * line: hubClassSymbols over these gives what it gives over the whole texts, so a long-lived index
 * can keep these instead of every file's text.
 */
export function symbolSkeleton(text: string): string {
  const parts: string[] = [];
  if (text.includes('class')) for (const match of text.matchAll(CLASS_HEADER)) parts.push(match[0].trimStart());
  if (text.includes('save') || text.includes('output_dir')) for (const match of text.matchAll(SAVED_FOLDER)) parts.push(match[0]);
  return parts.join('\n');
}

/** True when the text names one of the index's wrappers (its calls need the finished index). */
export function namesWrapper(text: string, symbols: WorkspaceSymbols): boolean {
  return usesAny(text, symbols.wrappers, (specs) => specs.flatMap((spec) => spec.modules));
}

/**
 * namesWrapper, leaving out the names the text only defines (`def name` at each of its
 * occurrences): such a file calls no wrapper, so scanning it again with the finished index
 * finds what its first scan found.
 */
export function mayCallWrapper(text: string, symbols: WorkspaceSymbols): boolean {
  return usesAny(text, symbols.wrappers, (specs) => specs.flatMap((spec) => spec.modules), (name) => !onlyDefined(text, name));
}

/** True when every occurrence of the word `name` in the text follows `def `. */
function onlyDefined(text: string, name: string): boolean {
  if (!ASCII_WORD.test(name)) return false;
  for (const match of text.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
    if (!/\bdef[ \t]+$/.test(text.slice(Math.max(0, match.index - 16), match.index))) return false;
  }
  return true;
}

/**
 * True when a reference is a wrapper's inner `parameter` reference and every call site of that
 * wrapper in the workspace passes an id the scanner resolved: the loads are the call sites'
 * references, and the inner one would only repeat "decided at run time".
 */
export function coveredByCallSites(symbols: WorkspaceSymbols, file: string, reference: { modelId: string | null; unresolvedReason?: string; idSpan: { start: number } }): boolean {
  if (reference.modelId !== null || reference.unresolvedReason !== 'parameter') return false;
  for (const specs of symbols.wrappers.values()) {
    for (const spec of specs) {
      if (spec.file === file && spec.innerIdStart === reference.idSpan.start) return symbols.resolvedCalls.has(spec.key) && !symbols.unresolvedCalls.has(spec.key);
    }
  }
  return false;
}

async function scanQuietly(file: SourceText, symbols: WorkspaceSymbols): Promise<void> {
  if (!file.relativePath.toLowerCase().endsWith('.py')) return;
  try {
    await scanPython(file.text, { relativePath: file.relativePath, workspace: symbols });
  } catch {
    // a file the scanner cannot read gets its note in the main scan
  }
}

/** `x.save_pretrained("out/m")`, `model.save("out/m")`, `output_dir="out/m"` written as literals, in any file. */
const SAVED_FOLDER = /\.(?:save_pretrained(?:_merged)?|save_model|save)\(\s*(?:save_directory\s*=\s*)?["']([^"'\n]+)["']|\b(?:output_dir|save_directory)\s*=\s*["']([^"'\n]+)["']/g;

function collectSavedFolders(files: SourceText[], symbols: WorkspaceSymbols): void {
  for (const file of files) {
    if (!file.text.includes('save') && !file.text.includes('output_dir')) continue;
    for (const match of file.text.matchAll(SAVED_FOLDER)) {
      const folder = (match[1] ?? match[2]).replace(/\/+$/, '');
      if (folder) symbols.savedFolders.add(folder);
    }
  }
}

function collectHubClasses(files: SourceText[], symbols: WorkspaceSymbols): void {
  const bases = new Map<string, { bases: string[]; file: string }[]>();
  for (const file of files) {
    if (!file.text.includes('class')) continue;
    for (const match of file.text.matchAll(CLASS_HEADER)) {
      const names = match[2]
        .split(',')
        .map((b) => b.trim())
        .filter((b) => b && !b.includes('='))
        .map((b) => b.replace(/\[.*$/s, '').split('.').pop()!.trim());
      push(bases, match[1], { bases: names, file: file.relativePath });
    }
  }
  // Fixed point: a class is a Hub class when one of its bases is a Hub base or a Hub class.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, definitions] of bases) {
      if (symbols.hubClasses.has(name)) continue;
      for (const definition of definitions) {
        const library = definition.bases.map((base) => HUB_BASES.find(([pattern]) => pattern.test(base))?.[1] ?? symbols.hubClasses.get(base)?.library).find(Boolean);
        if (!library) continue;
        const hub = symbols.hubClasses.get(name) ?? { library, modules: [], files: [] };
        hub.files.push(definition.file);
        hub.modules.push(...moduleNames(definition.file));
        symbols.hubClasses.set(name, hub);
        changed = true;
      }
    }
  }
}

/** The wrapper a reference makes of its enclosing top-level function, when its id is that function's parameter. */
export function wrapperAt(root: SyntaxNode, file: string, reference: { idSpan: { start: number; end: number }; loader: string; library: string; receiver?: string }): WrapperSpec | undefined {
  const idNode = root.descendantForIndex(reference.idSpan.start, reference.idSpan.end);
  if (idNode?.type !== 'identifier') return undefined;
  let fn: SyntaxNode | null = idNode.parent;
  // Each `type` calls into the parser's runtime: read once per level.
  for (let type = fn?.type; fn && type !== 'function_definition'; type = fn?.type) {
    if (type === 'lambda' || type === 'class_definition') return undefined;
    fn = fn.parent;
  }
  // Top level only (possibly under a decorator): methods are called through objects the index does not follow.
  const holder = fn?.parent?.type === 'decorated_definition' ? fn.parent : fn;
  if (!fn || holder?.parent?.type !== 'module') return undefined;
  const name = fn.childForFieldName('name')?.text;
  if (!name) return undefined;
  const parameter = parameterPosition(fn, idNode.text);
  if (!parameter) return undefined;
  const loaderSpec = LOADERS.find((l) => reference.loader === l.name || (l.name === 'from_pretrained' && reference.loader === `${reference.library}.from_pretrained`))?.name;
  if (!loaderSpec) return undefined;
  return {
    key: `${file}:${name}`,
    name,
    file,
    modules: moduleNames(file),
    line: fn.startPosition.row + 1,
    parameter: idNode.text,
    position: parameter.position,
    loaderSpec,
    loader: reference.loader,
    library: reference.library,
    ...(reference.receiver ? { receiver: reference.receiver } : {}),
    innerIdStart: reference.idSpan.start,
  };
}

/** Where `name` sits among the function's parameters; undefined when it is not one (or is *args / **kwargs). */
function parameterPosition(fn: SyntaxNode, name: string): { position: number } | undefined {
  let position = 0;
  let keywordOnly = false;
  for (const parameter of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!parameter) continue;
    if (parameter.type === 'list_splat_pattern' || parameter.type === 'keyword_separator' || parameter.text === '*') {
      keywordOnly = true;
      continue;
    }
    if (parameter.type === 'dictionary_splat_pattern' || parameter.type === 'positional_separator') continue;
    const own = parameter.type === 'identifier' ? parameter.text : (parameter.childForFieldName('name')?.text ?? parameter.namedChildren[0]?.text);
    if (own === name) return { position: keywordOnly ? -1 : position };
    position++;
  }
  return undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
