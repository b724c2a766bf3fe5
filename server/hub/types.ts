// What the Hub layer hands to the rules. Hub data keeps the Hub's own field names
// (pipeline_tag, library_name, cardData, ...) so the Hub's API docs describe it directly.

export type HubErrorKind =
  | 'not-found'
  | 'gated'
  | 'private'
  | 'disabled'
  | 'revision-not-found'
  | 'entry-not-found'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'malformed'
  | 'too-large'
  | 'offline'
  /** The Hub refused the request itself (HTTP 400): not an answer about the repository. */
  | 'bad-request'
  /** A redirect or answer this client will not take (another host, another scheme, a loop). */
  | 'refused'
  /** Not asked: the Hub is unreachable, or the Hub time budget or its rate limit is spent. */
  | 'not-looked-up';

/** Errors that are the Hub's answer about a repository (kept, reported as findings), not a failure to reach the Hub. */
export const REPOSITORY_ANSWERS: ReadonlySet<HubErrorKind> = new Set(['not-found', 'gated', 'private', 'disabled', 'revision-not-found', 'entry-not-found']);

export interface HubError {
  kind: HubErrorKind;
  /** Says what failed and, where possible, what to do next. Never contains the token. */
  message: string;
  /** HTTP status when the Hub answered. */
  status?: number;
}

/** Where a value came from, so surfaces can say "from cache" or "offline". */
export type HubSource = 'network' | 'cache' | 'stale-cache' | 'local-hf-cache' | 'fixture';

export type HubResult<T> = { ok: true; value: T; source: HubSource } | { ok: false; error: HubError };

export function hubOk<T>(value: T, source: HubSource): HubResult<T> {
  return { ok: true, value, source };
}

export function hubErr<T = never>(kind: HubErrorKind, message: string, status?: number): HubResult<T> {
  return { ok: false, error: status === undefined ? { kind, message } : { kind, message, status } };
}

export interface CardData {
  license?: string | string[];
  license_name?: string;
  license_link?: string;
  base_model?: string | string[];
  /** Other card metadata, unvalidated. */
  [key: string]: unknown;
}

export interface Sibling {
  rfilename: string;
  size?: number;
}

export interface SafetensorsInfo {
  /** Parameter count per dtype, e.g. { F32: 110106428 }. */
  parameters: Record<string, number>;
  total: number;
}

export interface TransformersInfo {
  auto_model?: string;
  pipeline_tag?: string;
  processor?: string;
  custom_class?: string;
}

/** Model info as the Hub's /api/models endpoint gives it (the fields the rules use). */
export interface HubModelData {
  /** Canonical id as the Hub names the repository now. */
  id: string;
  sha?: string;
  lastModified?: string;
  createdAt?: string;
  downloads?: number;
  likes?: number;
  tags: string[];
  pipeline_tag?: string;
  library_name?: string;
  cardData?: CardData;
  gated: false | 'auto' | 'manual';
  private: boolean;
  disabled: boolean;
  siblings: Sibling[];
  safetensors?: SafetensorsInfo;
  /** The Hub's condensed config (architectures, model_type, auto_map, ...), unvalidated beyond being an object. */
  config?: Record<string, unknown>;
  transformersInfo?: TransformersInfo;
}

export interface ModelInfo extends HubModelData {
  /** The id the code asked for. */
  requestedId: string;
  /** Same as id; named for readers who compare it with requestedId. */
  canonicalId: string;
  /** True when the Hub knows the repository under another name now (legacy or moved id). */
  renamed: boolean;
  /** Revision asked for, when pinned. */
  revision?: string;
  /**
   * True when built offline from the local Hugging Face cache: only id, sha, siblings and
   * config are known; license, tags, downloads and gating are not, so rules must not read
   * their absence as a finding.
   */
  partial?: boolean;
}

/** A config.json, parsed; only checked to be a JSON object. */
export type ModelConfig = Record<string, unknown>;

export interface LookupOptions {
  /** Branch, tag or commit; default is the Hub's default branch ("main"). */
  revision?: string;
}

/** What rules and surfaces depend on: the network client and the fixture hub both implement it. */
export interface HubApi {
  modelInfo(id: string, options?: LookupOptions): Promise<HubResult<ModelInfo>>;
  configJson(id: string, options?: LookupOptions): Promise<HubResult<ModelConfig>>;
  readme(id: string, options?: LookupOptions): Promise<HubResult<string>>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Something about the Hub as a whole that the user should be told once per run (the Hub
 * unreachable, the token rejected, a rate-limit wait, the cache folder unusable). Same shape
 * as the surfaces' Note, so they can pass it on as it is.
 */
export interface HubNote {
  level: 'error' | 'warning' | 'info';
  message: string;
  /** For a wait the note announces: when it ends (epoch ms), so a terminal can count down. */
  waitUntil?: number;
}

/** Whether lookups reach the Hub; surfaces show it (the editor's status bar). */
export type HubState = 'ok' | 'offline' | 'unreachable' | 'rate-limited' | 'budget-spent';
export type HubLogger = (level: LogLevel, message: string) => void;
