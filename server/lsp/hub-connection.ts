// The server's way to the Hub: one client built from the editor's settings and secrets,
// and a facts provider that never makes an analysis wait for the network. A lookup
// that is not answered yet starts in the background; when it lands, the files that
// mention the model are analysed again. When the Hub cannot be reached (or the time
// budget or rate limit is spent), the status bar says so and the server tries again
// later in the background, then analyses the affected files again.
import type { HubConnectionParams, HubStateParams, PtmLensSettings } from '../../protocol';
import type { FactsProvider, ModelFacts } from '../core/model-facts';
import { HubFacts } from '../engine/model-facts';
import { HubClient, type HubClientOptions } from '../hub/client';
import { DEFAULT_ENDPOINT, HubSettingError } from '../hub/settings';
import { REPOSITORY_ANSWERS, type HubLogger, type HubState } from '../hub/types';

/** What the connection tells the editor besides the log. */
export interface HubSurface {
  /** One notification for a setting that cannot be used. */
  showProblem(message: string): void;
  /** The Hub's state, for the status bar. */
  sendState(params: HubStateParams): void;
}

const RETRY_FIRST_MS = 30_000;
const RETRY_MAX_MS = 10 * 60_000;

export class HubConnection implements FactsProvider {
  private client: HubClient | undefined;
  private facts: HubFacts | undefined;
  private connection: HubConnectionParams = { proxyStrictSSL: true };
  private settings: PtmLensSettings['hub'] | undefined;
  private readonly pending = new Set<string>();
  /** Lookups that failed (by model and revision); made again by the background retry. */
  private readonly missed = new Map<string, { modelId: string; revision?: string }>();
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = RETRY_FIRST_MS;
  private readonly problemsShown = new Set<string>();
  /** Overridable for tests. */
  retryFirstMs = RETRY_FIRST_MS;

  constructor(
    private readonly log: HubLogger,
    /** Called when the Hub (or a cache) answered for the model (`answered` is then true); failed lookups are retried here, not reported. */
    private readonly onFactsArrived: (modelId: string, answered: boolean) => void,
    private readonly surface?: HubSurface,
  ) {}

  /** Rebuilds the client when anything that shapes it changed; returns true then. */
  configure(settings: PtmLensSettings['hub'] | undefined, connection?: HubConnectionParams): boolean {
    const next = connection ?? this.connection;
    const same = this.client && JSON.stringify(settings) === JSON.stringify(this.settings) && sameConnection(next, this.connection);
    this.settings = settings;
    this.connection = next;
    if (same) return false;
    const old = this.client;
    this.stopRetry();
    this.client = this.build(settings, next);
    this.facts = new HubFacts(this.client);
    this.pending.clear();
    this.missed.clear();
    void old?.close();
    this.log('info', `Hub: ${this.client.endpoint}${this.client.offline ? ' (offline: local caches only)' : ''}${this.client.hasToken ? ', with a token' : ''}`);
    this.stateChanged(this.client.state(), '');
    return true;
  }

  /** The client, or one without the setting that cannot be used (said once, in the log and a notification). */
  private build(settings: PtmLensSettings['hub'] | undefined, connection: HubConnectionParams): HubClient {
    const options: HubClientOptions = {
      endpoint: settings?.endpoint || undefined,
      endpointSetting: 'ptmLens.hub.endpoint',
      offline: settings?.enabled === false ? true : undefined,
      token: connection.token,
      tokenSource: 'the token stored with "PTM Lens: Set Hugging Face Token"',
      proxy: connection.proxy,
      noProxy: connection.noProxy,
      strictSSL: connection.proxyStrictSSL,
      ...(settings && Number.isFinite(settings.timeBudget) && settings.timeBudget >= 0 ? { timeBudgetMs: settings.timeBudget * 1000 } : {}),
      log: this.log,
      onStateChange: (state, reason) => this.stateChanged(state, reason),
    };
    for (let tries = 0; ; tries++) {
      try {
        return new HubClient(options);
      } catch (error) {
        if (!(error instanceof HubSettingError) || tries >= 3) throw error;
        const message = `PTM Lens: ${error.message}. Using the default instead; local checks are not affected.`;
        this.log('error', message);
        if (!this.problemsShown.has(error.message)) {
          this.problemsShown.add(error.message);
          this.surface?.showProblem(message);
        }
        if (/endpoint|HF_ENDPOINT/.test(error.setting)) options.endpoint = DEFAULT_ENDPOINT;
        else {
          // A bad proxy URL: go without that proxy rather than without the Hub.
          options.proxy = undefined;
          options.env = { ...process.env, HTTPS_PROXY: undefined, https_proxy: undefined, HTTP_PROXY: undefined, http_proxy: undefined };
        }
      }
    }
  }

  async get(modelId: string, revision?: string): Promise<ModelFacts | undefined> {
    if (!this.facts) this.configure(this.settings);
    const facts = this.facts!;
    const known = facts.peek(modelId, revision);
    if (known) return known;
    const key = `${modelId}@${revision ?? ''}`;
    // A failed lookup is made again by the background retry, not by every analysis that names the model.
    if (!this.pending.has(key) && !this.missed.has(key)) {
      this.pending.add(key);
      void facts.get(modelId, revision).then((result) => {
        this.pending.delete(key);
        if (this.facts !== facts) return;
        if (!result.info.ok && !REPOSITORY_ANSWERS.has(result.info.error.kind)) {
          // Nothing new to show: the files that name the model are analysed again only once it is answered.
          this.missed.set(key, { modelId, revision });
          this.scheduleRetry();
          return;
        }
        // Only an answer from the network proves the Hub is back; then retries start short again.
        if (result.info.ok && result.info.source === 'network') this.retryDelay = this.retryFirstMs;
        this.onFactsArrived(modelId, true);
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
    this.stopRetry();
    return this.client?.close() ?? Promise.resolve();
  }

  private stateChanged(state: HubState, reason: string): void {
    const detail =
      state === 'unreachable' ? `The Hub at ${this.client?.endpoint ?? ''} cannot be reached (${reason}). Hub data comes from the caches; PTM Lens tries again in the background.`
      : state === 'rate-limited' ? 'The Hub rate limit is spent; lookups wait for it in the background.'
      : state === 'budget-spent' ? 'The Hub time budget (ptmLens.hub.timeBudget) is spent; PTM Lens tries again in the background.'
      : state === 'offline' ? 'Offline: Hub data only from the caches.'
      : '';
    if (state === 'unreachable' || state === 'rate-limited' || state === 'budget-spent') this.scheduleRetry();
    this.surface?.sendState({ state, detail, ...(this.retryTimer ? { retryAt: Date.now() + this.retryDelay } : {}) });
  }

  /** Tries the Hub again later, backing off, and looks up again what was missed. */
  private scheduleRetry(): void {
    if (this.retryTimer) return;
    const client = this.client;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.client !== client || !client) return;
      this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
      client.retryConnection();
      const missed = [...this.missed.values()];
      this.missed.clear();
      for (const { modelId, revision } of missed) void this.get(modelId, revision);
    }, this.retryDelay);
    // Never keeps the server process alive on its own.
    this.retryTimer.unref?.();
  }

  private stopRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryDelay = this.retryFirstMs;
  }
}

function sameConnection(a: HubConnectionParams, b: HubConnectionParams): boolean {
  return a.token === b.token && a.proxy === b.proxy && a.noProxy === b.noProxy && a.proxyStrictSSL === b.proxyStrictSSL;
}
