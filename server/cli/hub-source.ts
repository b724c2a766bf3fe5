// Builds the Hub facts provider the CLI's --offline / --no-hub / --hub-fixture options ask for.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FactsProvider } from '../core/model-facts';
import { HubFacts } from '../engine/model-facts';
import { FixtureHub } from '../hub/fixture';
import { HubClient } from '../hub/client';
import type { ScanCommand } from './options';
import { UsageError } from './options';

export interface HubSource {
  facts?: FactsProvider;
  /** A line for stderr saying where metadata came from, when that is not the Hub itself. */
  note?: string;
  close(): Promise<void>;
}

export function createHubSource(hub: ScanCommand['hub'], warn: (message: string) => void): HubSource {
  if (hub.mode === 'none') return { close: async () => undefined };
  if (hub.mode === 'fixture') {
    const dir = resolve(hub.dir);
    if (!existsSync(dir)) throw new UsageError(`hub fixture folder not found: ${hub.dir}`);
    return { facts: new HubFacts(new FixtureHub(dir)), note: `Hub metadata from the fixture in ${hub.dir} (not the live Hub).`, close: async () => undefined };
  }
  const client = new HubClient({ offline: hub.mode === 'offline' || undefined, log: (level, message) => level !== 'debug' && level !== 'info' && warn(message) });
  return {
    facts: new HubFacts(client),
    note: client.offline ? 'Offline: Hub metadata only from local caches.' : undefined,
    close: () => client.close(),
  };
}
