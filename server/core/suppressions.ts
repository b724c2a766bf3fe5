// `# ptm-lens: ignore[PTM402]` (or a bare `# ptm-lens: ignore`; `//` in JavaScript) on a line silences findings there.
// The directives of a file are found in one pass, so checking any number of findings stays linear.
import { LineIndex } from './positions';

const DIRECTIVE = /(?:#|\/\/)[^\S\r\n]*ptm-lens:[^\S\r\n]*ignore(?:\[([^\]\r\n]*)\])?/gi;

export class Suppressions {
  /** Built only for a text with a directive (most files have none, and indexing their lines costs more than finding that out). */
  private readonly lines: LineIndex | undefined;
  /** Codes by line, for lines with a directive; "*" means all. */
  private readonly byLine = new Map<number, string[]>();

  constructor(text: string) {
    DIRECTIVE.lastIndex = 0;
    let match = DIRECTIVE.exec(text);
    this.lines = match ? new LineIndex(text) : undefined;
    if (match) linesIndexed++;
    for (; match; match = DIRECTIVE.exec(text)) {
      const line = this.lines!.positionAt(match.index).line;
      // The first directive of a line counts.
      if (this.byLine.has(line)) continue;
      this.byLine.set(line, match[1] === undefined ? ['*'] : match[1].split(',').map((code) => code.trim().toUpperCase()).filter(Boolean));
    }
  }

  /** Codes suppressed on the line containing `offset`; "*" means all. */
  codesAt(offset: number): string[] {
    if (!this.lines) return [];
    return this.byLine.get(this.lines.positionAt(offset).line) ?? [];
  }

  isSuppressed(offsets: number[], code: string): boolean {
    if (!this.lines) return false;
    return offsets.some((offset) => {
      const codes = this.codesAt(offset);
      return codes.includes('*') || codes.includes(code);
    });
  }
}

// Callers pass the same text for every finding of a file: keep its directives.
let last: { text: string; suppressions: Suppressions } | undefined;
let tablesBuilt = 0;
let linesIndexed = 0;

function suppressionsOf(text: string): Suppressions {
  if (last?.text !== text) {
    last = { text, suppressions: new Suppressions(text) };
    tablesBuilt++;
  }
  return last.suppressions;
}

/** How many files' directives were read so far (tests check each file is read once). */
export function suppressionTablesBuilt(): number {
  return tablesBuilt;
}

/** How many texts' lines were indexed to place directives (tests check only texts with one are). */
export function suppressionLinesIndexed(): number {
  return linesIndexed;
}

/** Codes suppressed on the line containing `offset`; "*" means all. */
export function suppressedCodesAt(text: string, offset: number): string[] {
  return suppressionsOf(text).codesAt(offset);
}

export function isSuppressed(text: string, offsets: number[], code: string): boolean {
  return suppressionsOf(text).isSuppressed(offsets, code);
}
