// Offsets <-> zero-based line/character (UTF-16 code units), as LSP and SARIF count them.
// Lines end as Python (and LSP) end them: at "\n", "\r\n" or a lone "\r".
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    // indexOf finds each break natively; a regular expression's match objects cost more than the
    // search (a scan indexes every file with a reference).
    const starts = this.starts;
    if (text.indexOf('\r') < 0) {
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
      return;
    }
    for (let at = 0; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (c === 10) starts.push(at + 1);
      else if (c === 13) starts.push(text.charCodeAt(at + 1) === 10 ? ++at + 1 : at + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.starts[low] };
  }

  offsetAt(position: Position): number {
    const start = this.starts[position.line];
    if (start === undefined) return this.text.length;
    return Math.min(start + position.character, this.text.length);
  }

  /** Offset where `line` starts. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset where `line` ends, before its line break. */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return this.text[next - 1] === '\n' && this.text[next - 2] === '\r' ? next - 2 : next - 1;
  }
}

/**
 * Start of the line holding `offset` (for code that needs one line without an index); the
 * search stops at `floor`, so callers that only ask "is there a break since X" stay linear.
 */
export function lineStartAt(text: string, offset: number, floor = 0): number {
  let i = Math.max(0, Math.min(offset, text.length));
  while (i > floor && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** End of the line holding `offset`, before its line break. */
export function lineEndAt(text: string, offset: number): number {
  let i = Math.max(0, Math.min(offset, text.length));
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}
