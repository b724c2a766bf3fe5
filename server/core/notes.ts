// Notes: what a user should know that is not a finding (a file skipped and why, the Hub
// unreachable, a config warning). The CLI prints them to stderr, JSON carries them as
// `notes`, SARIF as tool execution notifications, the editor logs them or shows them once.
export type NoteLevel = 'error' | 'warning' | 'info';

export interface Note {
  level: NoteLevel;
  message: string;
  /** Path relative to the scanned root, "/" separators, when the note is about one file. */
  file?: string;
  /** For a note that announces a wait: when it ends (epoch ms). Not part of the JSON output. */
  waitUntil?: number;
}
