// IPython syntax in a code cell that Python's grammar does not know, masked so the Python
// scanner reads the rest: the text keeps its length and its line breaks, so every offset still
// points at the same character of the cell.
//
// - Line magics and shell lines (`%pip install x`, `!nvidia-smi`, `files = !ls`) and help lines
//   (`model?`, `??AutoModel`), continuation lines (ending in `\`) included, become `0` and spaces:
//   an expression statement, so an indented block keeps a body.
// - A cell magic whose body is Python run in the kernel (`%%time`, `%%timeit`, `%%capture`,
//   `%%prun`, `%%debug`) keeps its body; only the magic line is masked.
// - Any other cell magic (`%%bash`, `%%sh`, `%%writefile`, `%%html`, `%%sql`, ...) masks the whole
//   cell: its body is not Python, or (`%%writefile`) not run in the notebook's namespace.

/** Cell magics whose body runs as Python in the kernel. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug']);

const LINE_BREAK = /\r\n?|\n/g;

/** `x`, `x.y`, `x[0]`, `f()` followed by `?`/`??`, or `?`/`??` before a name: IPython's help syntax. */
const HELP_LINE = /^\s*(?:\?{1,2}\s*[\w.*]+|[\w.*[\]()'"]+\?{1,2})\s*$/;
/** `%magic`, `!command`, or either as the value of an assignment (`out = !ls`). */
const MAGIC_LINE = /^(\s*)(?:[%!]|[\w.]+(?:\s*,\s*[\w.]+)*\s*=\s*[%!])/;

export function maskIPython(source: string): string {
  if (!/[%!?]/.test(source)) return source;
  const cellMagic = /^%%([\w-]*)/.exec(source);
  if (cellMagic && !PYTHON_CELL_MAGICS.has(cellMagic[1])) return blank(source);
  const lines = splitLines(source);
  let continued = false;
  let depth = 0;
  for (const line of lines) {
    const body = source.slice(line.start, line.end);
    if (continued) {
      line.text = blank(body);
      continued = body.endsWith('\\');
      continue;
    }
    if (line.start === 0 && cellMagic) {
      line.text = blank(body);
      continue;
    }
    // Inside brackets a line is a continuation (`% b` is a modulo there), as IPython reads it.
    const magic = depth === 0 ? MAGIC_LINE.exec(body) : null;
    if (magic) {
      line.text = expressionStatement(body, magic[0]);
      continued = body.endsWith('\\');
    } else if (depth === 0 && body.includes('?') && HELP_LINE.test(body)) {
      line.text = expressionStatement(body, /^\s*/.exec(body)![0] + body.trimStart()[0]);
    } else {
      depth = Math.max(0, depth + bracketBalance(body));
    }
  }
  return lines.map((line) => (line.text ?? source.slice(line.start, line.end)) + line.lineBreak).join('');
}

interface Line {
  start: number;
  end: number;
  lineBreak: string;
  text?: string;
}

function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  LINE_BREAK.lastIndex = 0;
  for (let match = LINE_BREAK.exec(source); match; match = LINE_BREAK.exec(source)) {
    lines.push({ start, end: match.index, lineBreak: match[0] });
    start = match.index + match[0].length;
  }
  lines.push({ start, end: source.length, lineBreak: '' });
  return lines;
}

/** Opened minus closed brackets on a line, outside one-line strings and comments (an estimate: enough to tell continuations). */
function bracketBalance(line: string): number {
  let balance = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '#') break;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') balance++;
    else if (c === ')' || c === ']' || c === '}') balance--;
  }
  return balance;
}

/** Keeps the indentation (and an assignment target) and replaces the rest by `0` and spaces. */
function expressionStatement(body: string, prefix: string): string {
  return prefix.slice(0, -1) + '0' + ' '.repeat(body.length - prefix.length);
}

/** Every character but line breaks as a space. */
function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}
