// SHA-256 in hex, in one call where Node has crypto.hash (20.12+): thousands of short keys a scan
// hashes (cache file names, finding fingerprints) cost several times more through a Hash object each.
// node:crypto loads with the first hash: a scan that hashes nothing (no reference, no finding)
// does not pay its start-up (about 6 ms).
import { loadOnce } from './load-once';

type Crypto = typeof import('node:crypto');
type OneShot = (algorithm: string, data: string, encoding: 'hex') => string;

const crypto = loadOnce((): Crypto => require('node:crypto'));

export function sha256Hex(text: string): string {
  const loaded = crypto();
  const oneShot = (loaded as { hash?: OneShot }).hash;
  return oneShot ? oneShot('sha256', text, 'hex') : loaded.createHash('sha256').update(text).digest('hex');
}
