// SHA-256 in hex, in one call where Node has crypto.hash (20.12+): thousands of short keys a scan
// hashes (cache file names, finding fingerprints) cost several times more through a Hash object each.
import * as crypto from 'node:crypto';

const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}
