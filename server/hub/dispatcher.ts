// Picks the undici dispatcher: an explicit proxy (VS Code's http.proxy) wins, otherwise
// HTTP(S)_PROXY / NO_PROXY from the environment; with neither it connects directly.
import type { Dispatcher } from 'undici';
import type { Env } from './settings';

export interface DispatcherOptions {
  /** Proxy URL for every request, e.g. from VS Code's http.proxy. */
  proxy?: string;
  /** Hosts that bypass the proxy (NO_PROXY syntax), e.g. from VS Code's http.noProxy. */
  noProxy?: string;
  /** false accepts self-signed certificates (VS Code's http.proxyStrictSSL). */
  strictSSL?: boolean;
  env?: Env;
}

export function createDispatcher({ proxy, noProxy, strictSSL = true, env = process.env }: DispatcherOptions): Dispatcher {
  const tls = strictSSL ? {} : { connect: { rejectUnauthorized: false }, requestTls: { rejectUnauthorized: false } };
  // EnvHttpProxyAgent does NO_PROXY matching for us, for the explicit proxy as well. Empty
  // strings stop it from falling back to process.env when the caller passed another env.
  // Loaded here, not at start-up: a scan that never asks the Hub does not pay for undici.
  const { EnvHttpProxyAgent } = require('undici') as typeof import('undici');
  return new EnvHttpProxyAgent({
    httpProxy: proxy ?? env.HTTP_PROXY ?? env.http_proxy ?? '',
    httpsProxy: proxy ?? env.HTTPS_PROXY ?? env.https_proxy ?? '',
    noProxy: noProxy ?? env.NO_PROXY ?? env.no_proxy ?? '',
    ...tls,
  });
}
