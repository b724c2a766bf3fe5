// Finds which of several groups of ASCII words occur in a file's bytes, in one pass and
// without decoding it (Wu-Manber: a table of two-byte blocks says how far the window may
// jump). Scans use it to leave most files of a big tree undecoded and unparsed: a file
// that names no loader cannot load a model.
// Searching UTF-8 bytes for ASCII words finds what searching the decoded text finds: no byte
// of a multi-byte sequence is ASCII, and decoding never merges an ASCII byte into another character.

/** The bit of each group whose word was found. */
export type GroupMask = number;

export class ByteSearch {
  /** Length of the window: the shortest word. */
  private readonly window: number;
  /** How far the window may move when its last two bytes are this block (0: a word may end here). */
  private readonly shift: Uint8Array;
  /** Words whose window ends with this block, for the final comparison. */
  private readonly candidates = new Map<number, { bytes: Uint8Array; group: number }[]>();
  private readonly allGroups: GroupMask;

  /** `groups[i]` is a list of ASCII words (at least two characters each); bit i of a result says one of them occurs. */
  constructor(groups: readonly (readonly string[])[]) {
    const words = groups.flatMap((group, index) => group.map((word) => ({ bytes: Buffer.from(word, 'latin1'), group: index })));
    if (!words.length) throw new Error('ByteSearch needs at least one word');
    for (const { bytes } of words) if (bytes.length < 2 || bytes.some((b) => b > 0x7f)) throw new Error(`ByteSearch words are ASCII, two characters at least: ${bytes}`);
    this.window = Math.min(...words.map((w) => w.bytes.length));
    this.allGroups = (1 << groups.length) - 1;
    const longest = this.window - 1;
    this.shift = new Uint8Array(65536).fill(longest);
    for (const word of words) {
      for (let end = 1; end < this.window; end++) {
        const block = (word.bytes[end - 1] << 8) | word.bytes[end];
        this.shift[block] = Math.min(this.shift[block], this.window - 1 - end);
      }
      const last = (word.bytes[this.window - 2] << 8) | word.bytes[this.window - 1];
      const list = this.candidates.get(last) ?? [];
      list.push(word);
      this.candidates.set(last, list);
    }
  }

  /** The groups with a word in `bytes`; it stops as soon as every group in `wanted` was found. */
  groupsIn(bytes: Uint8Array, wanted: GroupMask = this.allGroups): GroupMask {
    const { window, shift } = this;
    const length = bytes.length;
    let found = 0;
    for (let i = window - 1; i < length; ) {
      const block = (bytes[i - 1] << 8) | bytes[i];
      const step = shift[block];
      if (step !== 0) {
        i += step;
        continue;
      }
      const start = i - window + 1;
      for (const word of this.candidates.get(block)!) {
        if (found & (1 << word.group) || !matchesAt(bytes, start, word.bytes)) continue;
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
