// The Hub client the language server and the CLI use. Every lookup goes: shared in-flight
// promise -> disk cache -> (offline? local HF cache) -> network with pacing, retries and a
// concurrency limit -> stale cache or local HF cache when the network fails. Lookups never
// throw: failures come back as values.
import type { Dispatcher } from 'undici';
import { backoffDelay } from './backoff';
import { DiskCache, type CacheEntry } from './disk-cache';
import { createDispatcher } from './dispatcher';
import { classifyFailure, isRetryable, type RequestContext } from './errors';
import { httpGet, type HttpAnswer } from './http';
import { isValidModelId, modelInfoUrl, repoWebUrl, resolveUrl } from './ids';
import { Limiter } from './limiter';
import { findLocalCommit, listLocalSnapshotFiles, readLocalConfig, readLocalFile } from './local-cache';
import { parseRateLimit, parseRetryAfter, RatePacer } from './rate-limit';
import { excerpt, redact } from './redact';
import * as S from './settings';
import { hubErr, hubOk, REPOSITORY_ANSWERS } from './types';
import type { HubApi, HubError, HubLogger, HubModelData, HubResult, LookupOptions, ModelConfig, ModelInfo } from './types';
import { checkConfig, checkModelData, type Checked } from './validate';

export interface HubClientOptions {
  /** Hub or mirror URL; default HF_ENDPOINT, then https://huggingface.co. */
  endpoint?: string;
  /** Token (e.g. from VS Code secret storage); default HF_TOKEN, then $HF_HOME/token. */
  token?: string;
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
  timeoutMs?: number;
  /** Retries after a 5xx, network error or timeout. */
  maxRetries?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** A 429 asking to wait longer than this fails as rate-limited instead of waiting. */
  maxRateLimitWaitMs?: number;
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
  userAgent?: string;
}

/** One thing to fetch: how to name it, where it lives, and how to check what comes back. */
interface Resource<T> {
  key: string;
  url: string;
  ctx: RequestContext;
  parse(body: Buffer): Checked<T>;
  /** Re-checks a value read back from the disk cache. */
  revive(stored: unknown): Checked<T>;
  local(): T | undefined;
}

const MAX_RATE_LIMIT_RETRIES = 5;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class HubClient implements HubApi {
  readonly endpoint: string;
  readonly offline: boolean;
  readonly concurrency: number;
  // A true private field: it stays out of JSON.stringify, util.inspect and object dumps.
  readonly #token: string | undefined;
  private readonly logger: HubLogger | undefined;
  private readonly origin: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly cache: DiskCache | undefined;
  private readonly limiter: Limiter;
  private readonly pacer = new RatePacer();
  private readonly inflight = new Map<string, Promise<HubResult<unknown>>>();
  // Private for the same reason: the environment may hold HF_TOKEN.
  readonly #env: S.Env;
  private readonly o: Required<
    Pick<HubClientOptions, 'timeoutMs' | 'maxRetries' | 'retryBaseMs' | 'retryCapMs' | 'maxRateLimitWaitMs' | 'maxBodyBytes' | 'ttlMs' | 'negativeTtlMs' | 'useLocalHfCache' | 'userAgent'>
  >;

  constructor(options: HubClientOptions = {}) {
    this.logger = options.log;
    this.#env = options.env ?? process.env;
    this.endpoint = S.resolveEndpoint(options.endpoint, this.#env);
    this.origin = new URL(this.endpoint).origin;
    this.offline = options.offline ?? S.isOfflineEnv(this.#env);
    this.#token = options.token || (options.useEnvToken === false ? undefined : S.findToken(this.#env));
    this.concurrency = options.concurrency ?? S.DEFAULT_CONCURRENCY;
    this.limiter = new Limiter(this.concurrency);
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher = options.dispatcher ?? createDispatcher({ proxy: options.proxy, noProxy: options.noProxy, strictSSL: options.strictSSL, env: this.#env });
    const cacheDir = options.cacheDir === undefined ? S.defaultCacheDir(this.#env) : options.cacheDir;
    this.cache = cacheDir ? new DiskCache(cacheDir, options.cacheMaxBytes ?? S.DEFAULT_CACHE_MAX_BYTES, (m) => this.log('warn', m)) : undefined;
    this.o = {
      timeoutMs: options.timeoutMs ?? S.DEFAULT_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? S.DEFAULT_MAX_RETRIES,
      retryBaseMs: options.retryBaseMs ?? 250,
      retryCapMs: options.retryCapMs ?? 4000,
      maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 60_000,
      maxBodyBytes: options.maxBodyBytes ?? S.DEFAULT_MAX_BODY_BYTES,
      ttlMs: options.ttlMs ?? S.DEFAULT_TTL_MS,
      negativeTtlMs: options.negativeTtlMs ?? S.DEFAULT_NEGATIVE_TTL_MS,
      useLocalHfCache: options.useLocalHfCache ?? true,
      userAgent: options.userAgent ?? 'ptm-lens',
    };
  }

  /** True when a token will be sent (the token itself is never exposed). */
  get hasToken(): boolean {
    return this.#token !== undefined;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
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
    return this.lookup<HubModelData, ModelInfo>(
      {
        key: this.key('info', id, revision),
        url: modelInfoUrl(this.endpoint, id, revision),
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

  private file<T>(id: string, file: string, revision: string | undefined, parse: (b: Buffer) => Checked<T>, revive: (v: unknown) => Checked<T>, local: () => T | undefined) {
    return this.lookup<T, T>(
      {
        key: this.key(`file:${file}`, id, revision),
        url: resolveUrl(this.endpoint, id, file, revision),
        ctx: { ...this.ctx(id, revision), file },
        parse,
        revive,
        local,
      },
      id,
      (v) => v,
    );
  }

  private key(kind: string, id: string, revision?: string): string {
    // Answers differ with and without a token (gated, private), so they are cached apart.
    return [kind, this.endpoint, id, revision ?? '', this.#token ? 'auth' : 'anon'].join('|');
  }

  private ctx(id: string, revision?: string): RequestContext {
    return { id, revision, authorized: this.#token !== undefined, repoUrl: repoWebUrl(this.endpoint, id) };
  }

  private log(level: Parameters<HubLogger>[0], message: string): void {
    this.logger?.(level, redact(message, this.#token));
  }

  /** Coalesces concurrent asks for the same resource into one promise, and never rejects. */
  private lookup<T, R>(res: Resource<T>, id: string, finish: (value: T, source: ResultSource) => R): Promise<HubResult<R>> {
    if (!isValidModelId(id)) {
      return Promise.resolve(hubErr('not-found', `"${excerpt(id, 100)}" is not a valid Hugging Face model id.`));
    }
    let shared = this.inflight.get(res.key) as Promise<HubResult<T>> | undefined;
    if (!shared) {
      shared = this.resolve(res).catch((e: unknown) => hubErr<T>('network', `unexpected failure: ${(e as Error).message}`));
      this.inflight.set(res.key, shared);
      void shared.finally(() => this.inflight.delete(res.key));
    }
    return shared.then((r) => {
      if (!r.ok) return { ok: false as const, error: { ...r.error, message: redact(r.error.message, this.#token) } };
      return hubOk(finish(r.value, r.source), r.source);
    });
  }

  private async resolve<T>(res: Resource<T>): Promise<HubResult<T>> {
    const entry = await this.readCache(res);
    const age = entry ? Date.now() - entry.storedAt : Infinity;
    if (entry && age < (entry.error ? this.o.negativeTtlMs : this.o.ttlMs)) return fromEntry(entry, 'cache');

    if (this.offline) {
      if (entry) return fromEntry(entry, 'stale-cache');
      const local = this.tryLocal(res);
      return local ?? hubErr('offline', `offline mode is on (HF_HUB_OFFLINE or the PTM Lens offline setting) and ${describe(res.ctx)} is in neither the PTM Lens cache nor the local Hugging Face cache; go online once, or download it with huggingface-cli.`);
    }

    const { result: fresh, store } = await this.limiter.run(() => this.fetch(res, entry?.value !== undefined ? entry : undefined));
    // Written after the slot is released, so disk latency never holds back the next request.
    if (store) await this.cache?.set(res.key, store);
    if (fresh.ok || (!isRetryable(fresh.error.kind) && fresh.error.kind !== 'rate-limited')) return fresh;

    // The Hub could not be asked: an old answer, or the local HF cache, beats nothing.
    if (entry?.value !== undefined) {
      this.log('warn', `using a cached answer for ${describe(res.ctx)}: ${fresh.error.message}`);
      return fromEntry(entry, 'stale-cache');
    }
    const local = this.tryLocal(res);
    if (local) return local;
    if (fresh.error.kind === 'network' || fresh.error.kind === 'timeout') {
      fresh.error.message += ' Check the network connection and the proxy settings (http.proxy, HTTPS_PROXY), or turn on offline mode.';
    }
    return fresh;
  }

  private tryLocal<T>(res: Resource<T>): HubResult<T> | undefined {
    const value = res.local();
    return value === undefined ? undefined : hubOk(value, 'local-hf-cache');
  }

  private async readCache<T>(res: Resource<T>): Promise<(CacheEntry & { value?: T }) | undefined> {
    const entry = await this.cache?.get(res.key);
    if (!entry || entry.error) return entry as (CacheEntry & { value?: T }) | undefined;
    const checked = res.revive(entry.value);
    if (checked.ok) return { ...entry, value: checked.value };
    this.log('warn', `dropped a cache entry for ${describe(res.ctx)} that no longer checks out: ${checked.problem}`);
    await this.cache!.delete(res.key);
    return undefined;
  }

  /** Network attempts for one resource, with retries; runs inside a concurrency slot. */
  private async fetch<T>(res: Resource<T>, cached: (CacheEntry & { value?: T }) | undefined): Promise<Attempt<T>> {
    const done = (result: HubResult<T>, store?: CacheEntry): Attempt<T> => ({ result, store });
    let failures = 0;
    let limited = 0;
    for (;;) {
      const blocked = this.pacer.blockedForMs();
      if (blocked > this.o.maxRateLimitWaitMs) {
        const error = classifyFailure(429, {}, res.ctx);
        return done(hubErr('rate-limited', `${error.message.replace(/\.$/, '')}; the Hub asks to wait ${Math.ceil(blocked / 1000)} s.`));
      }
      const ticket = await this.pacer.acquire();
      const started = Date.now();
      const headers: Record<string, string> = { 'user-agent': this.o.userAgent, accept: 'application/json, */*' };
      if (cached?.etag) headers['if-none-match'] = cached.etag;
      const outcome = await httpGet(res.url, {
        dispatcher: this.dispatcher,
        headers,
        token: this.#token,
        tokenOrigin: this.origin,
        timeoutMs: this.o.timeoutMs,
        maxBodyBytes: this.o.maxBodyBytes,
      });

      let error: HubError;
      if (!outcome.ok) {
        error = { kind: outcome.failure.kind, message: `could not read ${describe(res.ctx)} from ${this.endpoint}: ${outcome.failure.message}` };
        if (outcome.failure.kind === 'too-large') return done({ ok: false, error });
      } else {
        const a = outcome.answer;
        this.log('debug', `GET ${res.url} -> ${a.status} (${Date.now() - started} ms)`);
        const rl = parseRateLimit(a.headers);
        if (rl) this.pacer.observe(rl, ticket);
        if (a.status === 304 && cached?.value !== undefined) {
          return done(hubOk(cached.value, 'network'), { key: res.key, storedAt: Date.now(), etag: cached.etag, value: cached.value });
        }
        if (a.status >= 200 && a.status < 300) return this.accept(res, a);
        error = classifyFailure(a.status, a.headers, res.ctx);
        // Redact before the message can reach the disk cache: a server may echo what it got.
        error.message = redact(error.message, this.#token);
        if (a.status === 429) {
          const waitS = rl?.resetSeconds ?? parseRetryAfter(a.headers);
          const waitMs = waitS !== undefined ? waitS * 1000 : backoffDelay(limited, { baseMs: 1000, capMs: 30_000 });
          if (limited < MAX_RATE_LIMIT_RETRIES && waitMs <= this.o.maxRateLimitWaitMs) {
            limited++;
            // Small jitter so waiters do not all return in the same millisecond.
            await sleep(waitMs + Math.random() * 50);
            continue;
          }
          error.message = `${error.message.replace(/\.$/, '')}; the Hub asks to wait ${Math.ceil(waitMs / 1000)} s.`;
          return done({ ok: false, error });
        }
        if (REPOSITORY_ANSWERS.has(error.kind)) return done({ ok: false, error }, { key: res.key, storedAt: Date.now(), error });
        if (!isRetryable(error.kind)) return done({ ok: false, error });
      }
      if (failures >= this.o.maxRetries) {
        if (failures > 0) error.message = `${error.message.replace(/\.$/, '')} (after ${failures + 1} attempts).`;
        return done({ ok: false, error });
      }
      const delay = backoffDelay(failures++, { baseMs: this.o.retryBaseMs, capMs: this.o.retryCapMs });
      this.log('debug', `retrying ${res.url} in ${delay} ms: ${error.message}`);
      await sleep(delay);
    }
  }

  private accept<T>(res: Resource<T>, a: HttpAnswer): Attempt<T> {
    const checked = res.parse(a.body);
    if (!checked.ok) {
      return { result: hubErr('malformed', `the Hub's answer for ${describe(res.ctx)} is unusable: ${checked.problem}.`, a.status) };
    }
    const etag = typeof a.headers.etag === 'string' ? a.headers.etag : undefined;
    return { result: hubOk(checked.value, 'network'), store: { key: res.key, storedAt: Date.now(), etag, value: checked.value } };
  }

  /** Offline stand-in for model info: what a snapshot in the local HF cache can tell. */
  private localModelData(id: string, revision?: string): HubModelData | undefined {
    if (!this.o.useLocalHfCache) return undefined;
    const sha = findLocalCommit(id, revision, this.#env);
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
