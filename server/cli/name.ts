// `ptm-lens name ID... [--format text|json]`: splits model names into the naming study's
// components. No network. "-" reads more ids from standard input, one per line.
import { parseArgs } from 'node:util';
import type { Note } from '../core/notes';
import { explainModelName, type ExplainedName } from '../engine/model-name';
import { isValidModelId } from '../hub/ids';
import { escapeForTerminal } from '../report/escape';
import { UsageError } from './options';

export const NAME_HELP = `Usage: ptm-lens name ID... [options]

Splits Hugging Face model ids into the components of the PTM naming study:
A architecture, S size, P parameter count, D dataset, C data characteristic, V version,
F reuse method, L language, T task, R training process, N layers, H heads,
W framework or format, M company or brand, O other. No network.
An ID of "-" reads more ids from standard input, one per line.

Options:
  --format text|json   output format (default: text)
  -h, --help           show this help

Exit codes: 0 it ran (ids that could not be parsed are reported as notes), 2 usage error.
`;

/** Longest id parsed: two Hub parts of 96 characters and the slash, with room to spare. */
export const MAX_ID_LENGTH = 256;

export interface NameOutput {
  version: 1;
  names: Array<{ modelId: string; components: Array<{ text: string; category: string }> }>;
  notes?: Note[];
}

/** Parses the ids; what cannot be parsed becomes a note, never an exception. */
export function nameOutput(ids: string[]): NameOutput {
  const names: NameOutput['names'] = [];
  const notes: Note[] = [];
  for (const raw of ids) {
    const id = raw.trim();
    if (id === '') {
      notes.push({ level: 'error', message: 'empty model id: skipped.' });
      continue;
    }
    if (id.length > MAX_ID_LENGTH) {
      notes.push({ level: 'error', message: `model id of ${id.length} characters ("${id.slice(0, 40)}..."): longer than any Hub id (${MAX_ID_LENGTH} at most); skipped.` });
      continue;
    }
    if (!isValidModelId(id)) {
      notes.push({ level: 'warning', message: `"${id}" is not a valid Hub model id (letters, digits, "-", "_", "." and one "/"); parsed anyway.` });
    }
    const explained = explainModelName(id);
    names.push({ modelId: id, components: explained.components.map((c) => ({ text: c.text, category: c.category })) });
  }
  return { version: 1, names, ...(notes.length ? { notes } : {}) };
}

export function nameText(names: ExplainedName[]): string {
  return names
    .map((n) => {
      const width = Math.max(0, ...n.components.map((c) => c.text.length));
      const rows = n.components.map((c) => `  ${c.category}  ${escapeForTerminal(c.text).padEnd(width)}  ${c.meaning}${c.inferred ? ' (not a known architecture)' : ''}`);
      return [escapeForTerminal(n.modelId), ...(rows.length ? rows : ['  (no components)'])].join('\n');
    })
    .join('\n');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function nameCommand(argv: string[], stdin: () => Promise<string> = readStdin): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(NAME_HELP);
    return 0;
  }
  const format = values.format as string;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  if (positionals.length === 0) throw new UsageError('name takes one or more model ids (or "-" to read them from standard input)');
  const ids: string[] = [];
  for (const p of positionals) {
    if (p === '-') ids.push(...(await stdin()).split(/\r?\n/).filter((line) => line.trim() !== ''));
    else ids.push(p);
  }
  const output = nameOutput(ids);
  for (const note of output.notes ?? []) process.stderr.write(`ptm-lens: ${escapeForTerminal(note.message)}\n`);
  if (format === 'json') process.stdout.write(JSON.stringify(output, null, 2) + '\n');
  else if (output.names.length) process.stdout.write(nameText(output.names.map((n) => explainModelName(n.modelId))) + '\n');
  return 0;
}
