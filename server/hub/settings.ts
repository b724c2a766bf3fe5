// Resolves where and how to talk to the Hub from options first, then the environment
// variables huggingface_hub users already set (HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE, ...).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';
/** Requests in flight at once; what the extension ships. */
export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RETRIES = 3;
/** Model info for repositories with thousands of files runs to a few MB; nothing we read is larger. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DEFAULT_TTL_MS = 6 * 60 * 60 * 1000;
/** "Not found" and "gated" answers change when users create repos or get access: keep them briefly. */
export const DEFAULT_NEGATIVE_TTL_MS = 30 * 60 * 1000;
export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

export type Env = Record<string, string | undefined>;

export function envFlag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

export function hfHome(env: Env = process.env): string {
  if (env.HF_HOME) return env.HF_HOME;
  const xdg = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'huggingface');
}

/** Token from HF_TOKEN, else the file huggingface-cli login writes ($HF_TOKEN_PATH or $HF_HOME/token). */
export function findToken(env: Env = process.env): string | undefined {
  const fromEnv = env.HF_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const file = env.HF_TOKEN_PATH || join(hfHome(env), 'token');
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The endpoint with no trailing slash, checked to be an http(s) URL. */
export function normalizeEndpoint(value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Hub endpoint must be http(s): ${value}`);
  return url.href.replace(/\/+$/, '');
}

export function resolveEndpoint(option: string | undefined, env: Env = process.env): string {
  return normalizeEndpoint(option || env.HF_ENDPOINT || DEFAULT_ENDPOINT);
}

export function isOfflineEnv(env: Env = process.env): boolean {
  return envFlag(env.HF_HUB_OFFLINE);
}

/** Default disk cache: next to the Hugging Face cache, in a folder of our own. */
export function defaultCacheDir(env: Env = process.env): string {
  const xdg = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'ptm-lens', 'hub');
}
