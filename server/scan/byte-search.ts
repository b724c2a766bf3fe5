// Finds which of several groups of ASCII words occur in a file's bytes, in one pass over the longer words and
// without decoding it (Wu-Manber: a table of two-byte blocks says how far the window may
// jump). Scans use it to leave most files of a big tree undecoded and unparsed: a file
// that names no loader cannot load a model.
// Searching UTF-8 bytes for ASCII words finds what searching the decoded text finds: no byte
// of a multi-byte sequence is ASCII, and decoding never merges an ASCII byte into another character.

/** The bit of each group whose word was found. */
export type GroupMask = number;

/**
 * Words at least this long go through the jump table; shorter ones are searched for one by one
 * (Buffer.indexOf, native). The table jumps at most its window less one byte, and its window is
 * its shortest word: "vllm" alone held every jump over every file to three bytes. Five measured
 * best on Python's standard library (longer windows leave more words to search one by one).
 */
const LONG_WORD = 5;

interface Word {
  bytes: Buffer;
  group: number;
}

export class ByteSearch {
  /** Length of the window: the shortest long word (0: no long words). The longest jump is one less (tests read it). */
  readonly window: number;
  /** How far the window may move when its last two bytes are this block (0: a word may end here). */
  private readonly shift: Uint8Array;
  /** Long words whose window ends with this block, for the final comparison. */
  private readonly candidates: (Word[] | undefined)[] = new Array(65536);
  /** Words shorter than LONG_WORD, searched for one at a time. */
  private readonly short: Word[];
  private readonly allGroups: GroupMask;

  /** `groups[i]` is a list of ASCII words (at least two characters each); bit i of a result says one of them occurs. */
  constructor(groups: readonly (readonly string[])[]) {
    const words: Word[] = groups.flatMap((group, index) => group.map((word) => ({ bytes: Buffer.from(word, 'latin1'), group: index })));
    if (!words.length) throw new Error('ByteSearch needs at least one word');
    for (const { bytes } of words) if (bytes.length < 2 || bytes.some((b) => b > 0x7f)) throw new Error(`ByteSearch words are ASCII, two characters at least: ${bytes}`);
    this.allGroups = (1 << groups.length) - 1;
    const long = words.filter((word) => word.bytes.length >= LONG_WORD);
    this.short = words.filter((word) => word.bytes.length < LONG_WORD);
    this.window = long.length ? Math.min(...long.map((w) => w.bytes.length)) : 0;
    const longest = Math.max(this.window - 1, 0);
    this.shift = new Uint8Array(65536).fill(longest);
    for (const word of long) {
      for (let end = 1; end < this.window; end++) {
        const block = (word.bytes[end - 1] << 8) | word.bytes[end];
        this.shift[block] = Math.min(this.shift[block], this.window - 1 - end);
      }
      const last = (word.bytes[this.window - 2] << 8) | word.bytes[this.window - 1];
      (this.candidates[last] ??= []).push(word);
    }
  }

  /** The groups with a word in `bytes`; it stops as soon as every group in `wanted` was found. */
  groupsIn(bytes: Uint8Array, wanted: GroupMask = this.allGroups): GroupMask {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let found = 0;
    for (const word of this.short) {
      if (found & (1 << word.group) || buffer.indexOf(word.bytes) < 0) continue;
      found |= 1 << word.group;
      if ((found & wanted) === wanted) return found;
    }
    const { window, shift, candidates } = this;
    if (!window) return found;
    const length = buffer.length;
    for (let i = window - 1; i < length; ) {
      const block = (buffer[i - 1] << 8) | buffer[i];
      const step = shift[block];
      if (step !== 0) {
        i += step;
        continue;
      }
      const start = i - window + 1;
      for (const word of candidates[block]!) {
        if (found & (1 << word.group) || !matchesAt(buffer, start, word.bytes)) continue;
        found |= 1 << word.group;
        if ((found & wanted) === wanted) return found;
      }
      i++;
    }
    return found;
  }
}

function matchesAt(bytes: Uint8Array, start: number, word: Uint8Array): boolean {
  if (start + word.length > bytes.length) return false;
  for (let k = 0; k < word.length; k++) if (bytes[start + k] !== word[k]) return false;
  return true;
}
