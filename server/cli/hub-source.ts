// Builds the Hub facts provider the CLI's --offline / --no-hub / --hub-fixture /
// --hub-budget options ask for, and collects what the Hub layer has to say as notes.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FactsProvider } from '../core/model-facts';
import type { Note } from '../core/notes';
import { HubFacts } from '../engine/model-facts';
import { FixtureHub } from '../hub/fixture';
import { HubClient } from '../hub/client';
import type { HubNote } from '../hub/types';
import type { ScanCommand } from './options';
import { UsageError } from './options';

export interface HubSource {
  facts?: FactsProvider;
  /** A line for stderr saying where metadata came from, when that is not the Hub itself. */
  note?: string;
  /** What the Hub layer said during the run (the Hub unreachable, the token rejected, ...), each once. */
  notes(): Note[];
  close(): Promise<void>;
}

/**
 * `onNote` is called once per Hub note as it happens (the CLI prints it on stderr then);
 * notes() returns them all for JSON and SARIF. Throws HubSettingError for a malformed
 * HF_ENDPOINT or proxy URL.
 */
export function createHubSource(hub: ScanCommand['hub'], warn: (message: string) => void, budgetSeconds?: number, onNote: (note: Note) => void = (n) => warn(n.message)): HubSource {
  const none = () => [];
  if (hub.mode === 'none') return { notes: none, close: async () => undefined };
  if (hub.mode === 'fixture') {
    const dir = resolve(hub.dir);
    if (!existsSync(dir)) throw new UsageError(`hub fixture folder not found: ${hub.dir}`);
    return { facts: new HubFacts(new FixtureHub(dir)), note: `Hub metadata from the fixture in ${hub.dir} (not the live Hub).`, notes: none, close: async () => undefined };
  }
  const client = new HubClient({
    offline: hub.mode === 'offline' || undefined,
    ...(budgetSeconds !== undefined ? { timeBudgetMs: budgetSeconds * 1000 } : {}),
    log: (level, message) => level !== 'debug' && level !== 'info' && warn(message),
    onNote: (note) => onNote(toNote(note)),
  });
  return {
    facts: new HubFacts(client),
    note: client.offline ? 'Offline: Hub metadata only from local caches.' : undefined,
    notes: () => client.notes.map(toNote),
    close: () => client.close(),
  };
}

function toNote(note: HubNote): Note {
  return { level: note.level, message: note.message, ...(note.waitUntil ? { waitUntil: note.waitUntil } : {}) };
}
