// A fuzzy index of well-known model ids, for "did you mean" and look-alike checks.
// fuse.js loads with the first suggestion asked for (most scans ask none).
import type Fuse from 'fuse.js';
import { LEGACY_IDS, POPULAR_MODEL_IDS } from './popular-models';

interface IndexedId {
  id: string;
  name: string;
}

const entries: IndexedId[] = [...POPULAR_MODEL_IDS, ...Object.keys(LEGACY_IDS)].map((id) => ({ id, name: nameOf(id) }));
let fuse: Fuse<IndexedId> | undefined;

export function nameOf(id: string): string {
  return id.slice(id.indexOf('/') + 1);
}

export function ownerOf(id: string): string | undefined {
  return id.includes('/') ? id.slice(0, id.indexOf('/')) : undefined;
}

/** The Fuse class: the bundle's ESM build gives it as `default`, the CommonJS build as the module. */
function fuseClass(): typeof Fuse {
  const loaded = require('fuse.js');
  return loaded.default ?? loaded;
}

/** Known ids close to `id` (a typo, a missing owner), best first. */
export function suggestModelIds(id: string, limit = 3): string[] {
  fuse ??= new (fuseClass())(entries, { keys: [{ name: 'id', weight: 0.6 }, { name: 'name', weight: 0.4 }], includeScore: true, threshold: 0.25, ignoreLocation: true });
  return fuse
    .search(id)
    .filter((result) => result.item.id.toLowerCase() !== id.toLowerCase())
    .slice(0, limit)
    .map((result) => result.item.id);
}

export function isPopular(id: string): boolean {
  const lower = id.toLowerCase();
  return POPULAR_MODEL_IDS.some((p) => p.toLowerCase() === lower);
}

/** Edit distance, small strings only (ids). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The popular model that `id` imitates: same (or nearly the same) name under another
 * owner, or a near-copy of the owner with the same name. Undefined when none.
 */
export function imitatedModel(id: string): string | undefined {
  const owner = ownerOf(id)?.toLowerCase();
  if (!owner || isPopular(id)) return undefined;
  const name = nameOf(id).toLowerCase();
  for (const popular of POPULAR_MODEL_IDS) {
    const popularOwner = ownerOf(popular)!.toLowerCase();
    const popularName = nameOf(popular).toLowerCase();
    if (popularOwner === owner) continue;
    const nameDistance = editDistance(name, popularName);
    const ownerDistance = editDistance(owner, popularOwner);
    if ((nameDistance === 0 && ownerDistance <= 2) || (nameDistance === 1 && popularName.length >= 8)) return popular;
  }
  return undefined;
}
