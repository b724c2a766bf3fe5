// The Hub client the language server and the CLI use. Every lookup goes: shared in-flight
// promise -> disk cache -> (offline? local HF cache) -> (Hub unreachable, time budget or
// rate limit spent? not looked up) -> network with pacing, retries and a concurrency limit
// -> stale cache or local HF cache when the network fails. Lookups never throw: failures
// come back as values. What concerns the Hub as a whole is said once, as a note.
import type { Dispatcher } from 'undici';
import { backoffDelay } from './backoff';
import { CircuitBreaker } from './breaker';
import { DEFAULT_TIME_BUDGET_MS, TimeBudget } from './budget';
import { DiskCache, type CacheEntry } from './disk-cache';
import { createDispatcher } from './dispatcher';
import { classifyFailure, isRejectedToken, isRetryable, type RequestContext } from './errors';
import { httpGet, redactUrl, type HttpAnswer } from './http';
import { isSafeRevision, isValidModelId, modelInfoUrl, repoWebUrl, resolveUrl } from './ids';
import { Limiter } from './limiter';
import { findLocalCommit, listLocalSnapshotFiles, readLocalConfig, readLocalFile } from './local-cache';
import { parseRateLimit, parseRetryAfter, RatePacer } from './rate-limit';
import { parseIndex, rangeHeader, readLocalBytes, readSafetensorsHeader, reviveIndex, type ByteRange } from './safetensors-read';
import type { SafetensorsHeader, SafetensorsIndex } from './safetensors';
import { excerpt, redact } from './redact';
import * as S from './settings';
import { hubErr, hubOk, REPOSITORY_ANSWERS } from './types';
import type { HubApi, HubError, HubLogger, HubModelData, HubNote, HubResult, HubState, LookupOptions, ModelConfig, ModelInfo } from './types';
import { checkConfig, checkModelData, type Checked } from './validate';

export interface HubClientOptions {
  /** Hub or mirror URL; default HF_ENDPOINT, then https://huggingface.co. */
  endpoint?: string;
  /** Name of the setting `endpoint` came from, for the error when it is unusable. */
  endpointSetting?: string;
  /** Token (e.g. from VS Code secret storage); default HF_TOKEN, then $HF_HOME/token. */
  token?: string;
  /** Where `token` came from, for the message when the Hub rejects it. */
  tokenSource?: string;
  /** false ignores HF_TOKEN and the token file. */
  useEnvToken?: boolean;
  /** true turns the network off entirely; default HF_HUB_OFFLINE. */
  offline?: boolean;
  /** Proxy URL for every request (VS Code http.proxy); default HTTPS_PROXY/HTTP_PROXY. */
  proxy?: string;
  noProxy?: string;
  strictSSL?: boolean;
  /** A ready dispatcher (tests, benchmarks); the client does not close it. */
  dispatcher?: Dispatcher;
  concurrency?: number;
  /** Bound on one whole exchange. */
  timeoutMs?: number;
  /** Bound on the wait for a first answer; default HF_HUB_ETAG_TIMEOUT, else 10 s. */
  firstAnswerMs?: number;
  /** Retries after a 5xx, network error or timeout, within the time budget. */
  maxRetries?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** A 429 asking to wait longer than this (or than the budget left) fails as rate-limited instead of waiting. */
  maxRateLimitWaitMs?: number;
  /** Time this client may spend waiting on the Hub (see TimeBudget); default 20 s. */
  timeBudgetMs?: number;
  /** false: no circuit breaker (each lookup finds out for itself). */
  circuitBreaker?: boolean;
  maxBodyBytes?: number;
  /** Disk cache folder, or false for none. Default ~/.cache/ptm-lens/hub. */
  cacheDir?: string | false;
  ttlMs?: number;
  negativeTtlMs?: number;
  cacheMaxBytes?: number;
  /** Read the local Hugging Face cache when offline or the Hub cannot be reached (default true). */
  useLocalHfCache?: boolean;
  env?: S.Env;
  log?: HubLogger;
  /** Called once per distinct note (the Hub unreachable, the token rejected, ...). */
  onNote?: (note: HubNote) => void;
  /** Called when state() changes. */
  onStateChange?: (state: HubState, reason: string) => void;
  userAgent?: string;
}

/** One thing to fetch: how to name it, where it lives, and how to check what comes back. */
interface Resource<T> {
  /** Cache key; computed when needed, since it depends on whether a token is still sent. */
  key(): string;
  url: string;
  /** Rate-limit bucket the Hub counts this request in. */
  bucket: 'api' | 'resolvers';
  ctx: RequestContext;
  parse(body: Buffer): Checked<T>;
  /** Re-checks a value read back from the disk cache. */
  revive(stored: unknown): Checked<T>;
  local(): T | undefined;
  /** Part of the file to ask for (a safetensors header), with the body bound it needs. */
  range?: ByteRange;
}

const MAX_RATE_LIMIT_RETRIES = 5;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class HubClient implements HubApi {
  /** The endpoint as messages show it (no user:password). */
  readonly endpoint: string;
  readonly offline: boolean;
  readonly concurrency: number;
  readonly budget: TimeBudget;
  // True private fields: they stay out of JSON.stringify, util.inspect and object dumps.
  readonly #token: string | undefined;
  readonly #tokenSource: string;
  #tokenRejected = false;
  /** The endpoint requests go to (may carry user:password for a mirror). */
  readonly #base: string;
  private readonly logger: HubLogger | undefined;
  private readonly origin: string;
  /** Made on the first request (undici's start-up is paid only by runs that reach the network). */
  private dispatcherMade: Dispatcher | undefined;
  private readonly makeDispatcher: () => Dispatcher;
  private readonly ownsDispatcher: boolean;
  private cache: DiskCache | undefined;
  private readonly limiter: Limiter;
  private readonly pacers = new Map<string, RatePacer>();
  private readonly breaker: CircuitBreaker;
  private readonly inflight = new Map<string, Promise<HubResult<unknown>>>();
  private readonly said = new Map<string, HubNote>();
  private lastState: HubState;
  // Private for the same reason: the environment may hold HF_TOKEN.
  readonly #env: S.Env;
  #localCaches: readonly string[] | undefined;
  private readonly o: Required<
    Pick<
      HubClientOptions,
      'timeoutMs' | 'firstAnswerMs' | 'maxRetries' | 'retryBaseMs' | 'retryCapMs' | 'maxRateLimitWaitMs' | 'maxBodyBytes' | 'ttlMs' | 'negativeTtlMs' | 'useLocalHfCache' | 'userAgent' | 'circuitBreaker'
    >
  > & Pick<HubClientOptions, 'onNote' | 'onStateChange'>;

  /** Throws HubSettingError when the endpoint or the proxy is not a usable URL. */
  constructor(options: HubClientOptions = {}) {
    this.logger = options.log;
    this.#env = options.env ?? process.env;
    this.#base = S.resolveEndpoint(options.endpoint, this.#env, options.endpointSetting);
    this.endpoint = redactUrl(this.#base);
    this.origin = new URL(this.#base).origin;
    this.offline = options.offline ?? S.isOfflineEnv(this.#env);
    const found = options.token ? { token: options.token, source: options.tokenSource ?? 'the configured token' } : options.useEnvToken === false ? undefined : S.findTokenWithSource(this.#env);
    this.#token = found?.token;
    this.#tokenSource = found?.source ?? '';
    this.concurrency = options.concurrency ?? S.DEFAULT_CONCURRENCY;
    this.limiter = new Limiter(this.concurrency);
    const proxy = options.proxy || this.#env.HTTPS_PROXY || this.#env.https_proxy || this.#env.HTTP_PROXY || this.#env.http_proxy;
    if (proxy && !options.dispatcher) S.checkHttpUrl(options.proxy ? 'http.proxy' : 'HTTPS_PROXY/HTTP_PROXY', proxy);
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcherMade = options.dispatcher;
    const env = this.#env;
    this.makeDispatcher = () => createDispatcher({ proxy: options.proxy, noProxy: options.noProxy, strictSSL: options.strictSSL, env });
    const cacheDir = options.cacheDir === undefined ? S.defaultCacheDir(this.#env) : options.cacheDir;
    this.cache = cacheDir ? new DiskCache(cacheDir, options.cacheMaxBytes ?? S.DEFAULT_CACHE_MAX_BYTES, (m) => this.log('debug', m), (problem) => this.cacheUnusable(cacheDir, problem)) : undefined;
    this.budget = new TimeBudget(options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
    this.breaker = new CircuitBreaker((state, reason) => {
      if (state === 'unreachable') {
        this.note('unreachable', 'warning', `the Hub at ${this.endpoint} cannot be reached (${reason}); the lookups left are answered from the caches only.`);
      }
      this.stateMayHaveChanged();
    });
    this.o = {
      timeoutMs: options.timeoutMs ?? S.DEFAULT_TIMEOUT_MS,
      firstAnswerMs: options.firstAnswerMs ?? S.firstAnswerTimeoutMs(this.#env),
      maxRetries: options.maxRetries ?? S.DEFAULT_MAX_RETRIES,
      retryBaseMs: options.retryBaseMs ?? 250,
      retryCapMs: options.retryCapMs ?? 4000,
      maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 60_000,
      maxBodyBytes: options.maxBodyBytes ?? S.DEFAULT_MAX_BODY_BYTES,
      ttlMs: options.ttlMs ?? S.DEFAULT_TTL_MS,
      negativeTtlMs: options.negativeTtlMs ?? S.DEFAULT_NEGATIVE_TTL_MS,
      useLocalHfCache: options.useLocalHfCache ?? true,
      userAgent: options.userAgent ?? 'ptm-lens',
      circuitBreaker: options.circuitBreaker ?? true,
      onNote: options.onNote,
      onStateChange: options.onStateChange,
    };
    this.lastState = this.state();
  }

  /** True when a token will be sent (the token itself is never exposed). */
  get hasToken(): boolean {
    return this.activeToken() !== undefined;
  }

  /** What was said about the Hub so far, each once, in order. */
  get notes(): HubNote[] {
    return [...this.said.values()];
  }

  /** Whether lookups reach the Hub right now. */
  state(): HubState {
    if (this.offline) return 'offline';
    if (this.breaker.state === 'unreachable') return 'unreachable';
    if (this.budget.exhausted()) return 'budget-spent';
    if (this.rateLimitBlock()) return 'rate-limited';
    return 'ok';
  }

  /** Lets lookups try the network again with a fresh time budget (the editor, later on). */
  retryConnection(): void {
    this.budget.renew();
    this.breaker.close();
    this.stateMayHaveChanged();
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcherMade?.close();
  }

  modelInfo(id: string, { revision }: LookupOptions = {}): Promise<HubResult<ModelInfo>> {
    const toInfo = (data: HubModelData, partial = false): ModelInfo => ({
      ...data,
      requestedId: id,
      canonicalId: data.id,
      // The Hub treats ids case-insensitively; only a different name is a rename.
      renamed: data.id.toLowerCase() !== id.toLowerCase(),
      ...(revision ? { revision } : {}),
      ...(partial ? { partial: true } : {}),
    });
    if (revision !== undefined && !isSafeRevision(revision)) return Promise.resolve(badRevision(id, revision));
    return this.lookup<HubModelData, ModelInfo>(
      {
        key: () => this.key('info', id, revision),
        url: modelInfoUrl(this.#base, id, revision),
        bucket: 'api',
        ctx: this.ctx(id, revision),
        parse: (body) => parseJson(body, checkModelData, 'model info'),
        revive: checkModelData,
        local: () => this.localModelData(id, revision),
      },
      id,
      (data, source) => toInfo(data, source === 'local-hf-cache'),
    );
  }

  configJson(id: string, options: LookupOptions = {}): Promise<HubResult<ModelConfig>> {
    return this.file(id, 'config.json', options.revision, (body) => parseJson(body, checkConfig, 'config.json'), checkConfig, () =>
      this.o.useLocalHfCache ? readLocalConfig(id, options.revision, this.#env) : undefined,
    );
  }

  readme(id: string, options: LookupOptions = {}): Promise<HubResult<string>> {
    const asText = (v: unknown): Checked<string> => (typeof v === 'string' ? { ok: true, value: v } : { ok: false, problem: 'README is not text' });
    return this.file(id, 'README.md', options.revision, (body) => asText(body.toString('utf8')), asText, () =>
      this.o.useLocalHfCache ? readLocalFile(id, 'README.md', options.revision, this.#env) : undefined,
    );
  }

  /** The header of a safetensors file (tensor names, dtypes, shapes), read with range requests: never the weights. */
  safetensorsHeader(id: string, file: string, options: LookupOptions = {}): Promise<HubResult<SafetensorsHeader>> {
    return readSafetensorsHeader(
      (range, parse, revive, local) => this.file(id, file, options.revision, parse, revive, local, range),
      (range) => (this.o.useLocalHfCache ? readLocalBytes(id, file, options.revision, this.#env, range) : undefined),
    );
  }

  /** `model.safetensors.index.json` of a sharded checkpoint. */
  safetensorsIndex(id: string, options: LookupOptions = {}): Promise<HubResult<SafetensorsIndex>> {
    const file = 'model.safetensors.index.json';
    return this.file(id, file, options.revision, (body) => parseIndex(body.toString('utf8')), reviveIndex, () => {
      const text = this.o.useLocalHfCache ? readLocalFile(id, file, options.revision, this.#env) : undefined;
      const checked = text === undefined ? undefined : parseIndex(text);
      return checked?.ok ? checked.value : undefined;
    });
  }

  private file<T>(id: string, file: string, revision: string | undefined, parse: (b: Buffer) => Checked<T>, revive: (v: unknown) => Checked<T>, local: () => T | undefined, range?: ByteRange) {
    // The revision may come from a Hub answer (a sha): it must not be able to leave /resolve/.
    if (revision !== undefined && !isSafeRevision(revision)) return Promise.resolve(badRevision<T>(id, revision));
    return this.lookup<T, T>(
      {
        key: () => this.key(`file:${file}${range ? `#${rangeHeader(range)}` : ''}`, id, revision),
        url: resolveUrl(this.#base, id, file, revision),
        bucket: 'resolvers',
        ctx: { ...this.ctx(id, revision), file },
        parse,
        revive,
        local,
        ...(range ? { range } : {}),
      },
      id,
      (v) => v,
    );
  }

  private activeToken(): string | undefined {
    return this.#tokenRejected ? undefined : this.#token;
  }

  private key(kind: string, id: string, revision?: string): string {
    // Answers differ with and without a token (gated, private), so they are cached apart.
    // The endpoint is named without user:password, which must not reach a file name's source.
    return [kind, this.endpoint, id, revision ?? '', this.activeToken() ? 'auth' : 'anon'].join('|');
  }

  private ctx(id: string, revision?: string): RequestContext {
    return { id, revision, authorized: this.activeToken() !== undefined, repoUrl: repoWebUrl(this.endpoint, id) };
  }

  private log(level: Parameters<HubLogger>[0], message: string): void {
    this.logger?.(level, this.redact(message));
  }

  private redact(message: string): string {
    return redact(message, this.#token);
  }

  /** Says something about the Hub once; later calls with the same topic are dropped. */
  private note(topic: string, level: HubNote['level'], message: string, waitUntil?: number): void {
    if (this.said.has(topic)) return;
    const note: HubNote = { level, message: this.redact(message), ...(waitUntil ? { waitUntil } : {}) };
    this.said.set(topic, note);
    this.log('info', note.message);
    this.o.onNote?.(note);
  }

  private stateMayHaveChanged(): void {
    const now = this.state();
    if (now === this.lastState) return;
    this.lastState = now;
    this.o.onStateChange?.(now, now === 'unreachable' ? this.breaker.reason : '');
  }

  private cacheUnusable(dir: string, problem: string): void {
    // One warning, then the run goes on with answers kept in memory only.
    this.note('cache', 'warning', `the PTM Lens cache folder ${dir} cannot be used (${problem}); Hub answers are kept in memory for this run only.`);
  }

  private pacer(bucket: string): RatePacer {
    let p = this.pacers.get(bucket);
    if (!p) this.pacers.set(bucket, (p = new RatePacer()));
    return p;
  }

  /** Longest wait any bucket's spent rate limit asks for right now. */
  private rateLimitBlock(): number {
    return Math.max(0, ...[...this.pacers.values()].map((p) => p.blockedForMs()));
  }

  /** Why a lookup will not be sent to the Hub now, or undefined when it may. */
  private whyNotAsk(bucket: string): string | undefined {
    if (this.o.circuitBreaker && this.breaker.state === 'unreachable') return `not looked up: the Hub at ${this.endpoint} cannot be reached (${this.breaker.reason}).`;
    if (this.budget.exhausted()) {
      this.note('budget', 'warning', `the Hub time budget (${Math.round(this.budget.totalMs / 1000)} s of waiting) is spent; the lookups left are answered from the caches only (raise it with --hub-budget or the ptmLens.hub.timeBudget setting).`);
      this.stateMayHaveChanged();
      return `not looked up: the Hub time budget (${Math.round(this.budget.totalMs / 1000)} s) is spent.`;
    }
    const blocked = this.pacer(bucket).blockedForMs();
    if (blocked > 0 && !this.mayWait(blocked)) {
      const s = Math.ceil(blocked / 1000);
      this.note(`rate-limit-skip:${bucket}`, 'warning', `the Hub's "${bucket}" rate limit is spent and resets in ${s} s, longer than this run may wait (${Math.floor(Math.min(this.budget.remainingMs(), this.o.maxRateLimitWaitMs) / 1000)} s left of the Hub time budget); the lookups left are answered from the caches only.`);
      this.stateMayHaveChanged();
      return `not looked up: the Hub rate limit is spent; the Hub asks to wait ${s} s.`;
    }
    return undefined;
  }

  private mayWait(ms: number): boolean {
    return ms <= this.o.maxRateLimitWaitMs && this.budget.fits(ms);
  }

  /** Coalesces concurrent asks for the same resource into one promise, and never rejects. */
  private lookup<T, R>(res: Resource<T>, id: string, finish: (value: T, source: ResultSource) => R): Promise<HubResult<R>> {
    if (!isValidModelId(id)) {
      return Promise.resolve(hubErr('not-found', `"${excerpt(id, 100)}" is not a valid Hugging Face model id.`));
    }
    const key = res.key();
    let shared = this.inflight.get(key) as Promise<HubResult<T>> | undefined;
    if (!shared) {
      shared = this.resolve(res).catch((e: unknown) => hubErr<T>('network', `unexpected failure: ${(e as Error).message}`));
      this.inflight.set(key, shared);
      void shared.finally(() => this.inflight.delete(key));
    }
    return shared.then((r) => {
      if (!r.ok) return { ok: false as const, error: { ...r.error, message: this.redact(r.error.message) } };
      return hubOk(finish(r.value, r.source), r.source);
    });
  }

  private async resolve<T>(res: Resource<T>): Promise<HubResult<T>> {
    const entry = await this.readCache(res);
    const age = entry ? Date.now() - entry.storedAt : Infinity;
    // An entry stored "in the future" (clock skew, a copied folder) is not fresh forever.
    if (entry && age > -60_000 && age < (entry.error ? this.o.negativeTtlMs : this.o.ttlMs)) return fromEntry(entry, 'cache');

    if (this.offline) {
      if (entry) return fromEntry(entry, 'stale-cache');
      const local = this.tryLocal(res);
      return local ?? hubErr('offline', `offline mode is on (HF_HUB_OFFLINE or the PTM Lens offline setting) and ${describe(res.ctx)} is in neither the PTM Lens cache nor the local Hugging Face cache; go online once, or download it with huggingface-cli.`);
    }

    const skip = this.whyNotAsk(res.bucket);
    const { result: fresh, store } = skip
      ? { result: hubErr<T>('not-looked-up', `${describe(res.ctx)} was ${skip}`), store: undefined }
      : await this.limiter.run(() => this.fetch(res, entry?.value !== undefined ? entry : undefined));
    // Written after the slot is released, so disk latency never holds back the next request.
    if (store) await this.store(store);
    if (fresh.ok || (!isRetryable(fresh.error.kind) && fresh.error.kind !== 'rate-limited' && fresh.error.kind !== 'not-looked-up')) return fresh;

    // The Hub could not be asked: an old answer, or the local HF cache, beats nothing.
    if (entry?.value !== undefined) {
      this.log('debug', `using a cached answer for ${describe(res.ctx)}: ${fresh.error.message}`);
      return fromEntry(entry, 'stale-cache');
    }
    const local = this.tryLocal(res);
    if (local) return local;
    if (fresh.error.kind === 'network' || fresh.error.kind === 'timeout') {
      fresh.error.message = `${fresh.error.message.replace(/\.$/, '')}. Check the network connection and the proxy settings (http.proxy, HTTPS_PROXY), or turn on offline mode.`;
    }
    return fresh;
  }

  /** Writes an entry unless it carries the token (a server may echo what it got). */
  private async store(entry: CacheEntry): Promise<void> {
    if (this.#token && JSON.stringify(entry).includes(this.#token)) {
      this.log('debug', 'an answer that contained the token was not cached');
      return;
    }
    await this.cache?.set(entry.key, entry);
  }

  private tryLocal<T>(res: Resource<T>): HubResult<T> | undefined {
    const value = res.local();
    return value === undefined ? undefined : hubOk(value, 'local-hf-cache');
  }

  private async readCache<T>(res: Resource<T>): Promise<(CacheEntry & { value?: T }) | undefined> {
    const key = res.key();
    const entry = await this.cache?.get(key);
    if (!entry || entry.error) return entry as (CacheEntry & { value?: T }) | undefined;
    const checked = res.revive(entry.value);
    if (checked.ok) return { ...entry, value: checked.value };
    this.log('warn', `dropped a cache entry for ${describe(res.ctx)} that no longer checks out: ${checked.problem}`);
    await this.cache!.delete(key);
    return undefined;
  }

  /** Network attempts for one resource, with retries within the time budget; runs inside a concurrency slot. */
  private async fetch<T>(res: Resource<T>, cached: (CacheEntry & { value?: T }) | undefined): Promise<Attempt<T>> {
    const done = (result: HubResult<T>, store?: CacheEntry): Attempt<T> => ({ result, store });
    let failures = 0;
    let limited = 0;
    for (;;) {
      const skip = this.whyNotAsk(res.bucket);
      if (skip) return done(hubErr('not-looked-up', `${describe(res.ctx)} was ${skip}`));
      const pacer = this.pacer(res.bucket);
      const blocked = pacer.blockedForMs();
      if (blocked > 0) this.note(`rate-limit-wait:${res.bucket}:${Math.round((Date.now() + blocked) / 1000)}`, 'info', `the Hub's "${res.bucket}" rate limit is spent; waiting ${Math.ceil(blocked / 1000)} s for it to reset.`, Date.now() + blocked);
      const queued = Date.now();
      const ticket = await pacer.acquire();
      if (blocked > 0) this.budget.charge(queued);
      const token = this.activeToken();
      const started = Date.now();
      const headers: Record<string, string> = { 'user-agent': this.o.userAgent, accept: 'application/json, */*' };
      if (cached?.etag) headers['if-none-match'] = cached.etag;
      if (res.range) headers.range = rangeHeader(res.range);
      const timeoutMs = Math.min(this.o.timeoutMs, Math.max(this.budget.remainingMs(), 1000));
      const outcome = await httpGet(res.url, {
        dispatcher: (this.dispatcherMade ??= this.makeDispatcher()),
        headers,
        token,
        tokenOrigin: this.origin,
        timeoutMs,
        firstAnswerMs: Math.min(this.o.firstAnswerMs, timeoutMs),
        // A ranged read needs no more than its range: a server that ignores Range is cut off there.
        maxBodyBytes: res.range ? res.range.start + res.range.length : this.o.maxBodyBytes,
      });

      let error: HubError;
      if (!outcome.ok) {
        error = { kind: outcome.failure.kind, message: `could not read ${describe(res.ctx)} from ${this.endpoint}: ${outcome.failure.message}` };
        if (outcome.failure.kind === 'too-large' || outcome.failure.kind === 'refused') return done({ ok: false, error });
        this.budget.charge(started);
        this.breaker.failed(outcome.failure.code, excerpt(outcome.failure.message, 200));
        // The lookup that found the Hub unreachable reports what happened; the others are not looked up.
        if (this.o.circuitBreaker && this.breaker.state === 'unreachable') {
          if (failures > 0) error.message = `${error.message.replace(/\.$/, '')} (after ${failures + 1} attempts).`;
          return done({ ok: false, error });
        }
      } else {
        const a = outcome.answer;
        this.breaker.answered();
        this.log('debug', `GET ${redactUrl(a.url)} -> ${a.status} (${Date.now() - started} ms)`);
        const rl = parseRateLimit(a.headers);
        if (rl) this.pacer(rl.bucket ?? res.bucket).observe(rl, ticket);
        if (token && isRejectedToken(a.status, a.headers, a.body)) {
          this.rejectToken();
          continue; // the same request again, without the token; not a failure
        }
        if (a.foreign && (a.status < 200 || a.status >= 300)) {
          // A file host's refusal says nothing about the repository: not cached, not retried.
          return done(hubErr('refused', `could not read ${describe(res.ctx)}: the host it was redirected to (${new URL(a.url).host}) answered HTTP ${a.status}.`, a.status));
        }
        if (a.status === 304 && cached?.value !== undefined) {
          return done(hubOk(cached.value, 'network'), { key: res.key(), storedAt: Date.now(), etag: cached.etag, value: cached.value });
        }
        if (a.status >= 200 && a.status < 300) return this.accept(res, a);
        error = classifyFailure(a.status, a.headers, { ...res.ctx, authorized: token !== undefined });
        // Redact before the message can reach the disk cache: a server may echo what it got.
        error.message = this.redact(error.message);
        if (a.status === 429) {
          // RateLimit's t is the reset of a spent window (r=0); otherwise Retry-After says how long.
          const waitS = rl && rl.remaining === 0 ? rl.resetSeconds : parseRetryAfter(a.headers);
          if (waitS !== undefined && limited < MAX_RATE_LIMIT_RETRIES) {
            limited++;
            // The pacer makes every lookup in this bucket wait for the same reset, once.
            pacer.pause(waitS * 1000);
            if (this.mayWait(waitS * 1000)) continue;
            error.message = `${error.message.replace(/\.$/, '')}; the Hub asks to wait ${Math.ceil(waitS)} s.`;
            this.whyNotAsk(res.bucket);
            return done({ ok: false, error });
          }
          const waitMs = backoffDelay(limited, { baseMs: 1000, capMs: 30_000 });
          if (limited < MAX_RATE_LIMIT_RETRIES && this.mayWait(waitMs)) {
            limited++;
            const pausing = Date.now();
            await sleep(waitMs + Math.random() * 50);
            this.budget.charge(pausing);
            continue;
          }
          return done({ ok: false, error });
        }
        if (REPOSITORY_ANSWERS.has(error.kind)) return done({ ok: false, error }, { key: res.key(), storedAt: Date.now(), error });
        if (!isRetryable(error.kind)) return done({ ok: false, error });
      }
      if (failures >= this.o.maxRetries) {
        if (failures > 0) error.message = `${error.message.replace(/\.$/, '')} (after ${failures + 1} attempts).`;
        return done({ ok: false, error });
      }
      const delay = backoffDelay(failures++, { baseMs: this.o.retryBaseMs, capMs: this.o.retryCapMs });
      if (!this.budget.fits(delay)) {
        // The lookups after this one would fail the same way: from here on, caches only.
        this.budget.spendAll();
        error.message = `${error.message.replace(/\.$/, '')} (no time left in the Hub time budget to try again).`;
        return done({ ok: false, error });
      }
      this.log('debug', `retrying ${redactUrl(res.url)} in ${delay} ms: ${error.message}`);
      const pausing = Date.now();
      await sleep(delay);
      this.budget.charge(pausing);
    }
  }

  /** The Hub said the token is invalid: say so once and go on without it. */
  private rejectToken(): void {
    if (this.#tokenRejected) return;
    this.#tokenRejected = true;
    this.note('token', 'warning', `the Hub rejected the Hugging Face token from ${this.#tokenSource} (401 Invalid credentials); lookups go on without a token. Replace or remove that token.`);
  }

  private accept<T>(res: Resource<T>, a: HttpAnswer): Attempt<T> {
    // A server that ignores Range sends the whole (small) file: take the part asked for.
    const body = res.range && a.status === 200 ? a.body.subarray(res.range.start, res.range.start + res.range.length) : a.body;
    const checked = res.parse(body);
    if (!checked.ok) {
      return { result: hubErr('malformed', `the Hub's answer for ${describe(res.ctx)} is unusable: ${checked.problem}.`, a.status) };
    }
    const etag = typeof a.headers.etag === 'string' ? a.headers.etag : undefined;
    return { result: hubOk(checked.value, 'network'), store: { key: res.key(), storedAt: Date.now(), etag, value: checked.value } };
  }

  /** Offline stand-in for model info: what a snapshot in the local HF cache can tell. */
  private localModelData(id: string, revision?: string): HubModelData | undefined {
    if (!this.o.useLocalHfCache) return undefined;
    // The cache folders, from the environment the client was made with (as its other settings).
    this.#localCaches ??= S.hubCacheDirs(this.#env);
    const sha = findLocalCommit(id, revision, this.#env, this.#localCaches);
    const files = sha && listLocalSnapshotFiles(id, sha, this.#env);
    if (!sha || !files) return undefined;
    const config = readLocalConfig(id, sha, this.#env);
    return {
      id,
      sha,
      tags: [],
      gated: false,
      private: false,
      disabled: false,
      siblings: files.map((rfilename) => ({ rfilename })),
      ...(config ? { config } : {}),
    };
  }
}

function badRevision<T>(id: string, revision: string): HubResult<T> {
  return hubErr('bad-request', `revision "${excerpt(revision, 60)}" of model "${id}" is not a branch, tag or commit name; it was not looked up.`);
}

/** A network outcome, and what to write to the disk cache for it. */
interface Attempt<T> {
  result: HubResult<T>;
  store?: CacheEntry;
}

type ResultSource = Extract<HubResult<unknown>, { ok: true }>['source'];

function fromEntry<T>(entry: CacheEntry & { value?: T }, source: ResultSource): HubResult<T> {
  return entry.error ? { ok: false, error: entry.error } : hubOk(entry.value as T, source);
}

function describe(ctx: RequestContext): string {
  const rev = ctx.revision ? `@${ctx.revision}` : '';
  return ctx.file ? `${ctx.file} of "${ctx.id}${rev}"` : `model info for "${ctx.id}${rev}"`;
}

function parseJson<T>(body: Buffer, check: (raw: unknown) => Checked<T>, what: string): Checked<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch (e) {
    return { ok: false, problem: `${what} is not valid JSON (${(e as Error).message}; starts with "${excerpt(body.subarray(0, 80).toString('utf8'), 60)}")` };
  }
  return check(raw);
}
