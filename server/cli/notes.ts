// The CLI's one list of notes (DESIGN.md, Contracts: Notes): config problems, files skipped,
// Hub states, per-file notes from the scanner. Each note is written to stderr as one line
// when it arrives and kept for the JSON and SARIF reports.
import type { Note } from '../core/notes';
import { escapeForTerminal } from '../report/escape';

export function formatNote(note: Note): string {
  const file = note.file ? `${escapeForTerminal(note.file)}: ` : '';
  return `ptm-lens: ${note.level}: ${file}${escapeForTerminal(note.message)}`;
}

export class NoteList {
  readonly notes: Note[] = [];

  constructor(private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {}

  add(note: Note): void {
    this.notes.push(note);
    this.write(formatNote(note));
  }

  addAll(notes: readonly Note[]): void {
    for (const note of notes) this.add(note);
  }

  info(message: string, file?: string): void {
    this.add({ level: 'info', message, ...(file ? { file } : {}) });
  }

  warn(message: string, file?: string): void {
    this.add({ level: 'warning', message, ...(file ? { file } : {}) });
  }
}
