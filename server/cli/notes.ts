// The CLI's one list of notes (DESIGN.md, Contracts: Notes): config problems, files skipped,
// Hub states, per-file notes from the scanner. Each note is written to stderr as one line
// when it arrives and kept for the JSON and SARIF reports.
import type { Note } from '../core/notes';
import { escapeForTerminal } from '../report/escape';
import { Countdown, type CountdownStream } from './countdown';

export function formatNote(note: Note): string {
  const file = note.file ? `${escapeForTerminal(note.file)}: ` : '';
  return `ptm-lens: ${note.level}: ${file}${escapeForTerminal(note.message)}`;
}

export class NoteList {
  readonly notes: Note[] = [];
  private readonly countdown: Countdown;

  constructor(private readonly stream: CountdownStream = process.stderr) {
    this.countdown = new Countdown(stream);
  }

  add(note: Note): void {
    const { waitUntil, ...recorded } = note;
    this.notes.push(recorded);
    this.countdown.stop();
    this.stream.write(`${formatNote(recorded)}\n`);
    if (waitUntil) this.countdown.start(waitUntil, 'waiting for the Hub');
  }

  /** Ends a countdown still running (the scan is over). */
  close(): void {
    this.countdown.stop();
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
