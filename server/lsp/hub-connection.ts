// The server's way to the Hub: one client built from the editor's settings and secrets,
// and a facts provider that never makes an analysis wait for the network. A lookup
// that is not answered yet starts in the background; when it lands, the files that
// mention the model are analysed again.
import type { HubConnectionParams, PtmLensSettings } from '../../protocol';
import type { FactsProvider, ModelFacts } from '../core/model-facts';
import { HubFacts } from '../engine/model-facts';
import { HubClient } from '../hub/client';
import type { HubLogger } from '../hub/types';

export class HubConnection implements FactsProvider {
  private client: HubClient | undefined;
  private facts: HubFacts | undefined;
  private connection: HubConnectionParams = { proxyStrictSSL: true };
  private settings: PtmLensSettings['hub'] | undefined;
  private readonly pending = new Set<string>();

  constructor(
    private readonly log: HubLogger,
    private readonly onFactsArrived: (modelId: string) => void,
  ) {}

  /** Rebuilds the client when anything that shapes it changed; returns true then. */
  configure(settings: PtmLensSettings['hub'] | undefined, connection?: HubConnectionParams): boolean {
    const next = connection ?? this.connection;
    const same = this.client && JSON.stringify(settings) === JSON.stringify(this.settings) && sameConnection(next, this.connection);
    this.settings = settings;
    this.connection = next;
    if (same) return false;
    const old = this.client;
    this.client = new HubClient({
      endpoint: settings?.endpoint || undefined,
      offline: settings?.enabled === false ? true : undefined,
      token: next.token,
      proxy: next.proxy,
      noProxy: next.noProxy,
      strictSSL: next.proxyStrictSSL,
      log: this.log,
    });
    this.facts = new HubFacts(this.client);
    this.pending.clear();
    void old?.close();
    this.log('info', `Hub: ${this.client.endpoint}${this.client.offline ? ' (offline: local caches only)' : ''}${this.client.hasToken ? ', with a token' : ''}`);
    return true;
  }

  async get(modelId: string, revision?: string): Promise<ModelFacts | undefined> {
    if (!this.facts) this.configure(this.settings);
    const facts = this.facts!;
    const known = facts.peek(modelId, revision);
    if (known) return known;
    const key = `${modelId}@${revision ?? ''}`;
    if (!this.pending.has(key)) {
      this.pending.add(key);
      void facts.get(modelId, revision).then(() => {
        this.pending.delete(key);
        if (this.facts === facts) this.onFactsArrived(modelId);
      });
    }
    return undefined;
  }

  /** Waits for the answer (hovers may wait a little; diagnostics never do). */
  wait(modelId: string, revision?: string): Promise<ModelFacts> {
    if (!this.facts) this.configure(this.settings);
    return this.facts!.get(modelId, revision);
  }

  close(): Promise<void> {
    return this.client?.close() ?? Promise.resolve();
  }
}

function sameConnection(a: HubConnectionParams, b: HubConnectionParams): boolean {
  return a.token === b.token && a.proxy === b.proxy && a.noProxy === b.noProxy && a.proxyStrictSSL === b.proxyStrictSSL;
}
