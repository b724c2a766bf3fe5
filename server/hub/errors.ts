// Turns a Hub answer that is not a success into a HubError whose message says what to do
// next. The Hub tells the cases apart with the X-Error-Code header.
import type { IncomingHttpHeaders } from 'node:http';
import { excerpt } from './redact';
import type { HubError } from './types';

export interface RequestContext {
  id: string;
  revision?: string;
  file?: string;
  /** True when a token went with the request. */
  authorized: boolean;
  /** Web address of the repository, for messages. */
  repoUrl: string;
}

const TOKEN_HINT = 'set a Hugging Face token (command "PTM Lens: Set Hugging Face Token", or HF_TOKEN)';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function classifyFailure(status: number, headers: IncomingHttpHeaders, ctx: RequestContext): HubError {
  const code = header(headers, 'x-error-code');
  const said = header(headers, 'x-error-message');
  const hub = said ? ` (Hub: ${excerpt(said)})` : '';
  const what = `model "${ctx.id}"`;
  const at = ctx.revision ? ` at revision "${ctx.revision}"` : '';

  if (code === 'GatedRepo') {
    const next = ctx.authorized
      ? `your token has no access yet: request it on ${ctx.repoUrl}`
      : `accept its conditions on ${ctx.repoUrl}, then ${TOKEN_HINT}`;
    return { kind: 'gated', status, message: `${what} is gated; ${next}.` };
  }
  if (code === 'RevisionNotFound') {
    return { kind: 'revision-not-found', status, message: `${what} has no revision "${ctx.revision ?? 'main'}"${hub}.` };
  }
  if (code === 'EntryNotFound') {
    return { kind: 'entry-not-found', status, message: `${what} has no file "${ctx.file ?? '?'}"${at}${hub}.` };
  }
  if (status === 403 && /\bdisabled\b/i.test(said ?? '')) {
    return { kind: 'disabled', status, message: `${what} is disabled on the Hub and can no longer be downloaded${hub}.` };
  }
  if (status === 400 && code !== 'RepoNotFound') {
    return { kind: 'bad-request', status, message: `the Hub refused the request for ${what}${at} (HTTP 400)${hub}.` };
  }
  if (code === 'RepoNotFound' || status === 404 || status === 410) {
    const maybePrivate = ctx.authorized ? '' : ` If it is a private repository, ${TOKEN_HINT}.`;
    return { kind: 'not-found', status, message: `${what} was not found on the Hub.${maybePrivate}` };
  }
  if (status === 401 || status === 403) {
    const next = ctx.authorized ? 'your token has no access to it' : TOKEN_HINT;
    return { kind: 'private', status, message: `${what} needs authorization: ${next}${hub}.` };
  }
  if (status === 429) {
    return { kind: 'rate-limited', status, message: `the Hub rate limit was reached while reading ${what}; try again later${hub}.` };
  }
  return { kind: 'server', status, message: `the Hub answered HTTP ${status} for ${what}${hub}.` };
}

/**
 * The Hub's answer to a token it does not accept: 401 with "Invalid credentials" (for public
 * repositories too). Only meaningful when a token was sent.
 */
export function isRejectedToken(status: number, headers: IncomingHttpHeaders, body: Buffer): boolean {
  if (status !== 401 || header(headers, 'x-error-code') === 'GatedRepo') return false;
  const said = `${header(headers, 'x-error-message') ?? ''} ${body.subarray(0, 2000).toString('utf8')}`;
  return /invalid (credentials|user token|token)|token is (invalid|expired)/i.test(said);
}

/** Failures worth another attempt: the Hub or the network may recover. */
export function isRetryable(kind: HubError['kind']): boolean {
  return kind === 'server' || kind === 'network' || kind === 'timeout';
}
