// Text for a terminal: control characters and bidirectional formatting characters in file
// names or quoted code are shown as escapes, so a name cannot move the cursor, recolour the
// terminal, hide text or reorder what a reviewer reads (CVE-2021-42574, "Trojan Source").
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
