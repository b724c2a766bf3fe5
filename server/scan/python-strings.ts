// Decodes Python string literal pieces (prefixes and escape sequences).

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** The prefix letters of a string_start token, lower-cased (e.g. "rb", "f"). */
export function stringPrefix(startToken: string): string {
  return /^[A-Za-z]*/.exec(startToken)![0].toLowerCase();
}

/** Decodes one escape sequence; undefined when it cannot be decoded statically (\N{...}). */
export function decodeEscape(sequence: string): string | undefined {
  const body = sequence.slice(1);
  if (body in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[body];
  const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))$/.exec(body);
  if (hex) return String.fromCodePoint(parseInt(hex[1] ?? hex[2] ?? hex[3], 16));
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCodePoint(parseInt(body, 8));
  if (body.startsWith('N{')) return undefined;
  return sequence; // Python keeps unknown escapes as written.
}
