// Which hosts a redirect may never lead to: loopback, link-local (cloud metadata services
// live at 169.254.169.254) and private networks. Only literal addresses and "localhost"
// are recognised; names are not resolved here.

/** node:net (and the stream modules it brings) loads with the first redirect checked, not with every run. */
let net: typeof import('node:net') | undefined;
const isIP = (host: string) => (net ??= require('node:net') as typeof import('node:net')).isIP(host);

function v4Private(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return a === 127 || a === 10 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

function v6Private(ip: string): boolean {
  const x = ip.toLowerCase();
  if (x === '::1' || x === '::') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
  if (mapped) return v4Private(mapped[1]);
  return /^f[cd][0-9a-f]{2}:/.test(x) || /^fe[89ab][0-9a-f]:/.test(x);
}

/** True for a host that is loopback, link-local or private (hostname as in URL.hostname). */
export function isInternalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const kind = isIP(host);
  if (kind === 4) return v4Private(host);
  if (kind === 6) return v6Private(host);
  return false;
}
