// One HTTP GET on undici with what the Hub layer needs around it: redirects followed by
// hand so the token never leaves the endpoint's origin, a timeout covering the whole
// exchange, and a body size bound enforced while streaming.
import { request, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';

export interface HttpGetOptions {
  dispatcher: Dispatcher;
  headers?: Record<string, string>;
  /** Sent as a Bearer token only to `tokenOrigin`. */
  token?: string;
  tokenOrigin: string;
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects?: number;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** URL that gave this answer, after redirects. */
  url: string;
}

export interface HttpFailure {
  kind: 'network' | 'timeout' | 'too-large';
  message: string;
}

export type HttpOutcome = { ok: true; answer: HttpAnswer } | { ok: false; failure: HttpFailure };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    return await follow(url, options, controller.signal);
  } catch (e) {
    if (controller.signal.aborted) {
      return { ok: false, failure: { kind: 'timeout', message: `no complete answer within ${options.timeoutMs} ms` } };
    }
    return { ok: false, failure: { kind: 'network', message: describeNetworkError(e) } };
  } finally {
    clearTimeout(timer);
  }
}

async function follow(startUrl: string, options: HttpGetOptions, signal: AbortSignal): Promise<HttpOutcome> {
  let url = startUrl;
  // Once a redirect leaves the endpoint's origin, the token stays behind for the rest of the chain.
  let mayAuthorize = true;
  const maxRedirects = options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const sameOrigin = new URL(url).origin === options.tokenOrigin;
    mayAuthorize &&= sameOrigin;
    const headers: Record<string, string> = { ...options.headers };
    if (options.token && mayAuthorize) headers.authorization = `Bearer ${options.token}`;
    const res = await request(url, { method: 'GET', headers, signal, dispatcher: options.dispatcher });
    const location = res.headers.location;
    if (REDIRECTS.has(res.statusCode) && typeof location === 'string') {
      await res.body.dump();
      if (hop >= maxRedirects) {
        return { ok: false, failure: { kind: 'network', message: `more than ${maxRedirects} redirects from ${startUrl}` } };
      }
      url = new URL(location, url).href;
      continue;
    }
    const body = await readBounded(res, options.maxBodyBytes);
    if (body === undefined) {
      return {
        ok: false,
        failure: { kind: 'too-large', message: `answer from ${url} is larger than ${options.maxBodyBytes} bytes` },
      };
    }
    return { ok: true, answer: { status: res.statusCode, headers: res.headers, body, url } };
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

function describeNetworkError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: string }).code;
  const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `${code ? `${code} ` : ''}${e.message}${cause}`;
}
