// `# ptm-lens: ignore[PTM402]` (or a bare `# ptm-lens: ignore`) on a line silences findings there.
const DIRECTIVE = /#\s*ptm-lens:\s*ignore(?:\[([^\]]*)\])?/i;

/** Codes suppressed on the line containing `offset`; "*" means all. */
export function suppressedCodesAt(text: string, offset: number): string[] {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  const match = DIRECTIVE.exec(text.slice(start, end === -1 ? undefined : end));
  if (!match) return [];
  return match[1] === undefined ? ['*'] : match[1].split(',').map((code) => code.trim().toUpperCase()).filter(Boolean);
}

export function isSuppressed(text: string, offsets: number[], code: string): boolean {
  return offsets.some((offset) => {
    const codes = suppressedCodesAt(text, offset);
    return codes.includes('*') || codes.includes(code);
  });
}
