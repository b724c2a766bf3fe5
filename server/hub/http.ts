// One HTTP GET on undici with what the Hub layer needs around it: redirects followed by
// hand under a policy (see RedirectPolicy), a timeout for the first answer and one for the
// whole exchange, and a body size bound enforced while streaming.
import type { Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { isInternalHost } from './addresses';

export interface HttpGetOptions {
  dispatcher: Dispatcher;
  headers?: Record<string, string>;
  /** Sent as a Bearer token only to `tokenOrigin`. */
  token?: string;
  /** The endpoint's origin: redirects stay inside it (see followable). */
  tokenOrigin: string;
  /** The whole exchange, body included. */
  timeoutMs: number;
  /** Until the status line and headers arrive (a server that accepts and stays silent). */
  firstAnswerMs?: number;
  maxBodyBytes: number;
  maxRedirects?: number;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** URL that gave this answer, after redirects. */
  url: string;
  /** True when the answer came from outside the endpoint's origin (a file host after a redirect). */
  foreign: boolean;
}

export interface HttpFailure {
  /** refused: a redirect or URL this client will not follow; trying again will not help. */
  kind: 'network' | 'timeout' | 'too-large' | 'refused';
  message: string;
  /** Node/undici error code (ENOTFOUND, ECONNREFUSED, ...) or "timeout", for the circuit breaker. */
  code?: string;
}

export type HttpOutcome = { ok: true; answer: HttpAnswer } | { ok: false; failure: HttpFailure };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

class Refused extends Error {}

export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpOutcome> {
  const controller = new AbortController();
  let why = '';
  const abort = (reason: string) => {
    why = reason;
    controller.abort();
  };
  const timer = setTimeout(() => abort(`no complete answer within ${options.timeoutMs} ms`), options.timeoutMs);
  const first = options.firstAnswerMs !== undefined && options.firstAnswerMs < options.timeoutMs
    ? setTimeout(() => abort(`no answer within ${options.firstAnswerMs} ms`), options.firstAnswerMs)
    : undefined;
  try {
    return await follow(url, options, controller.signal, () => clearTimeout(first));
  } catch (e) {
    if (controller.signal.aborted) return { ok: false, failure: { kind: 'timeout', message: why, code: 'timeout' } };
    if (e instanceof Refused) return { ok: false, failure: { kind: 'refused', message: e.message } };
    return { ok: false, failure: { kind: 'network', message: describeNetworkError(e), code: errorCode(e) } };
  } finally {
    clearTimeout(timer);
    clearTimeout(first);
  }
}

/**
 * Whether a redirect from `from` to `to` may be followed: inside the endpoint's origin
 * always; to another https host only for file content (/resolve/, which the Hub serves from
 * its CDN; plain http only when the endpoint is plain http); never to a loopback, link-local or private address unless the endpoint is one.
 */
export function followable(to: URL, startUrl: URL, endpointOrigin: string): string | undefined {
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return `a redirect to a ${to.protocol.replace(/:$/, '')}: URL`;
  if (to.origin === endpointOrigin) return undefined;
  const endpointInternal = isInternalHost(new URL(endpointOrigin).hostname);
  if (isInternalHost(to.hostname) && !endpointInternal) return `a redirect to the internal address ${to.host}`;
  if (!startUrl.pathname.includes('/resolve/')) return `a redirect to another host (${to.host})`;
  // No downgrade: https, or http only when the endpoint itself is plain http (a local mirror).
  if (to.protocol !== 'https:' && to.protocol !== new URL(endpointOrigin).protocol) return `a redirect to ${to.host} without https`;
  return undefined;
}

async function follow(startUrl: string, options: HttpGetOptions, signal: AbortSignal, answered: () => void): Promise<HttpOutcome> {
  let url = startUrl;
  // Once a redirect leaves the endpoint's origin, the token stays behind for the rest of the chain.
  let mayAuthorize = true;
  const seen = new Set<string>([url]);
  const maxRedirects = options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const sameOrigin = new URL(url).origin === options.tokenOrigin;
    mayAuthorize &&= sameOrigin;
    const headers: Record<string, string> = { ...options.headers };
    if (options.token && mayAuthorize) headers.authorization = `Bearer ${options.token}`;
    // Loaded on the first request: a scan that never asks the Hub does not pay for undici's start-up.
    const { request } = require('undici') as typeof import('undici');
    const res = await request(url, { method: 'GET', headers, signal, dispatcher: options.dispatcher });
    answered();
    const location = res.headers.location;
    if (REDIRECTS.has(res.statusCode) && typeof location === 'string') {
      await res.body.dump();
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new Refused(`a redirect to an invalid URL from ${redactUrl(url)}`);
      }
      const refusal = followable(next, new URL(startUrl), options.tokenOrigin);
      if (refusal) throw new Refused(`${refusal} was not followed`);
      if (seen.has(next.href)) throw new Refused(`redirect loop at ${redactUrl(next.href)}`);
      if (hop >= maxRedirects) throw new Refused(`more than ${maxRedirects} redirects from ${redactUrl(startUrl)}`);
      seen.add(next.href);
      url = next.href;
      continue;
    }
    const body = await readBounded(res, options.maxBodyBytes);
    if (body === undefined) {
      return { ok: false, failure: { kind: 'too-large', message: `answer from ${redactUrl(url)} is larger than ${options.maxBodyBytes} bytes` } };
    }
    return { ok: true, answer: { status: res.statusCode, headers: res.headers, body, url, foreign: !sameOrigin } };
  }
}

/** A URL without its user:password part, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** The body, or undefined as soon as it passes `max` bytes (the rest is not downloaded). */
async function readBounded(res: Dispatcher.ResponseData, max: number): Promise<Buffer | undefined> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    res.body.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      res.body.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function errorCode(e: unknown): string | undefined {
  const own = (e as { code?: unknown }).code;
  const cause = (e as { cause?: { code?: unknown } }).cause?.code;
  // undici wraps socket errors; the cause names what happened on the wire.
  const code = typeof cause === 'string' ? cause : own;
  return typeof code === 'string' ? code : undefined;
}

function describeNetworkError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: string }).code;
  const cause = e.cause instanceof Error && e.cause.message !== e.message ? `: ${e.cause.message}` : '';
  return `${code ? `${code} ` : ''}${e.message}${cause}`;
}
