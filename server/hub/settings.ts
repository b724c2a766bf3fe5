// Resolves where and how to talk to the Hub from options first, then the environment
// variables huggingface_hub and transformers users already set (HF_ENDPOINT, HF_TOKEN,
// HF_HUB_OFFLINE, ...). docs/hub.md has the table; the precedence here follows theirs.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';
/** Requests in flight at once; what the extension ships. */
export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_TIMEOUT_MS = 15_000;
/** Wait for the first answer of a request; huggingface_hub's HF_HUB_ETAG_TIMEOUT default. */
export const DEFAULT_FIRST_ANSWER_MS = 10_000;
export const DEFAULT_MAX_RETRIES = 3;
/** Model info for repositories with thousands of files runs to a few MB; nothing we read is larger. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_TTL_MS = 6 * 60 * 60 * 1000;
/** "Not found" and "gated" answers change when users create repos or get access: keep them briefly. */
export const DEFAULT_NEGATIVE_TTL_MS = 30 * 60 * 1000;
export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

export type Env = Record<string, string | undefined>;

/** A Hub setting that cannot be used; `setting` names it as the user wrote it. */
export class HubSettingError extends Error {
  constructor(
    readonly setting: string,
    readonly value: string,
    problem: string,
  ) {
    super(`${setting}: ${problem}`);
    this.name = 'HubSettingError';
  }
}

export function envFlag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

/** `$VAR`, `${VAR}` and a leading `~`, as huggingface_hub expands its path variables (unknown variables stay as written). */
export function expandPath(value: string, env: Env = process.env): string {
  const vars = value.replace(/\$(\w+)|\$\{(\w+)\}/g, (all, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? all);
  return vars.replace(/^~(?=$|[\\/])/, () => env.HOME || homedir());
}

function pathVar(env: Env, name: string): string | undefined {
  const v = env[name];
  return v ? expandPath(v, env) : undefined;
}

function xdgCache(env: Env): string {
  return pathVar(env, 'XDG_CACHE_HOME') || join(env.HOME || homedir(), '.cache');
}

export function hfHome(env: Env = process.env): string {
  return pathVar(env, 'HF_HOME') ?? join(xdgCache(env), 'huggingface');
}

/**
 * Local Hugging Face cache folders to read, first match wins: HF_HUB_CACHE (or its old name
 * HUGGINGFACE_HUB_CACHE, or $HF_HOME/hub), then TRANSFORMERS_CACHE, where transformers
 * downloads when it is set.
 */
export function hubCacheDirs(env: Env = process.env): string[] {
  const main = pathVar(env, 'HF_HUB_CACHE') ?? pathVar(env, 'HUGGINGFACE_HUB_CACHE') ?? join(hfHome(env), 'hub');
  const transformers = pathVar(env, 'TRANSFORMERS_CACHE');
  return transformers && transformers !== main ? [main, transformers] : [main];
}

export interface FoundToken {
  token: string;
  /** Where it came from, for messages: "HF_TOKEN", "the token file ~/.cache/huggingface/token", ... */
  source: string;
}

/**
 * The token huggingface_hub would use: HF_TOKEN, then HUGGING_FACE_HUB_TOKEN, then the file
 * `hf auth login` writes ($HF_TOKEN_PATH or $HF_HOME/token). None when
 * HF_HUB_DISABLE_IMPLICIT_TOKEN is set: then only a token given explicitly is sent.
 */
export function findTokenWithSource(env: Env = process.env): FoundToken | undefined {
  if (envFlag(env.HF_HUB_DISABLE_IMPLICIT_TOKEN)) return undefined;
  for (const name of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN']) {
    const token = env[name]?.trim();
    if (token) return { token, source: name };
  }
  const file = pathVar(env, 'HF_TOKEN_PATH') ?? join(hfHome(env), 'token');
  try {
    const token = readFileSync(file, 'utf8').trim();
    return token ? { token, source: `the token file ${file}` } : undefined;
  } catch {
    return undefined;
  }
}

export function findToken(env: Env = process.env): string | undefined {
  return findTokenWithSource(env)?.token;
}

/** Checks a URL setting: http(s), parsable, with a host. */
export function checkHttpUrl(setting: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    const hint = /^[\w.-]+\.[a-z]{2,}(:\d+)?(\/|$)/i.test(value.trim()) ? ` (did you mean https://${value.trim()}?)` : '';
    throw new HubSettingError(setting, value, `"${value}" is not a URL${hint}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HubSettingError(setting, value, `"${url.protocol}" URLs are not supported; use an http:// or https:// URL`);
  if (!url.hostname) throw new HubSettingError(setting, value, `"${value}" has no host`);
  return url;
}

/** The endpoint with no trailing slash, checked to be an http(s) URL. */
export function normalizeEndpoint(value: string, setting = 'Hub endpoint'): string {
  return checkHttpUrl(setting, value).href.replace(/\/+$/, '');
}

/** Throws HubSettingError naming HF_ENDPOINT or the setting the value came from. */
export function resolveEndpoint(option: string | undefined, env: Env = process.env, optionName = 'Hub endpoint'): string {
  if (option) return normalizeEndpoint(option, optionName);
  if (env.HF_ENDPOINT) return normalizeEndpoint(env.HF_ENDPOINT, 'HF_ENDPOINT');
  return DEFAULT_ENDPOINT;
}

/** HF_HUB_OFFLINE, or transformers' TRANSFORMERS_OFFLINE (huggingface_hub honours both). */
export function isOfflineEnv(env: Env = process.env): boolean {
  return envFlag(env.HF_HUB_OFFLINE) || envFlag(env.TRANSFORMERS_OFFLINE);
}

/** HF_HUB_ETAG_TIMEOUT (seconds) as the wait for a first answer, in ms. */
export function firstAnswerTimeoutMs(env: Env = process.env): number {
  const v = Number(env.HF_HUB_ETAG_TIMEOUT);
  return env.HF_HUB_ETAG_TIMEOUT && Number.isFinite(v) && v > 0 ? v * 1000 : DEFAULT_FIRST_ANSWER_MS;
}

/** Default disk cache: next to the Hugging Face cache, in a folder of our own. */
export function defaultCacheDir(env: Env = process.env): string {
  return join(xdgCache(env), 'ptm-lens', 'hub');
}
