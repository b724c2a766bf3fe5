// Hub answers kept on disk across restarts: one JSON file per entry, written to a temp
// file and renamed so readers never see half an entry, dropped when unreadable, and
// evicted oldest-first when the folder grows past its bound. When the folder cannot be
// used at all (a file in the way, read-only), entries are kept in memory for the run.
// A scan asks for thousands of models the cache has never seen: the folder's names are listed
// once and kept for a moment, so a key without a file costs no file system call.
import { promises as fs, readFile as readFileCb } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HubError } from './types';

export interface CacheEntry {
  /** The request this answers; guards against hash collisions and foreign files. */
  key: string;
  storedAt: number;
  etag?: string;
  /** The validated value for a success, or the error for a cached negative answer. */
  value?: unknown;
  error?: HubError;
}

interface FileInfo {
  size: number;
  mtimeMs: number;
}

const FORMAT = 1;
/** Errors that mean the folder cannot hold a cache at all, as opposed to one failed write. */
const UNUSABLE = new Set(['ENOTDIR', 'EEXIST', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENAMETOOLONG', 'ELOOP']);
/** Clock skew tolerated before a modification time counts as "in the future". */
const SKEW_MS = 60_000;
// The callback readFile is several times faster than fs.promises.readFile for small files,
// which is what the warm path (hundreds of entries at start-up) is made of.
const readFile = promisify(readFileCb);
/** How long a listing of the folder answers "no entry" before it is read again (another process may write). */
export const LISTING_MS = 1000;

export class DiskCache {
  private index: Map<string, FileInfo> | undefined;
  private total = 0;
  private chain: Promise<void> = Promise.resolve();
  /** Set once the folder proved unusable: the run's entries live here instead. */
  private memory: Map<string, CacheEntry> | undefined;
  /** The folder's file names as listed at `at` (undefined names: it could not be listed), kept up to date with this instance's own writes. */
  private listing: { at: number; names: Promise<Set<string> | undefined> } | undefined;

  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly onProblem: (message: string) => void = () => undefined,
    /** Called once, when the folder cannot be used and the cache falls back to memory. */
    private readonly onUnusable: (problem: string) => void = () => undefined,
    /** How long a listing answers "no entry" (tests set it). */
    private readonly listingMs = LISTING_MS,
  ) {}

  /** True when entries are kept in memory because the folder cannot be used. */
  get inMemory(): boolean {
    return this.memory !== undefined;
  }

  private fileFor(key: string): string {
    return `${sha256Hex(key).slice(0, 40)}.json`;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    if (this.memory) return this.memory.get(key);
    const name = this.fileFor(key);
    if (!(await this.mayHold(name))) return undefined;
    let text: string;
    try {
      text = await readFile(join(this.dir, name), 'utf8');
    } catch {
      return undefined;
    }
    const entry = parseEntry(text, key);
    if (!entry) {
      this.onProblem(`dropped unreadable cache entry ${name}`);
      await this.delete(key);
    }
    return entry;
  }

  /** False when a listing of the folder made less than LISTING_MS ago has no file of this name. */
  private async mayHold(name: string): Promise<boolean> {
    const now = Date.now();
    if (!this.listing || now - this.listing.at >= this.listingMs || now < this.listing.at) {
      const names = fs.readdir(this.dir).then(
        (found) => new Set(found),
        // A missing folder holds nothing yet; one that cannot be listed is read name by name.
        (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? new Set<string>() : undefined),
      );
      this.listing = { at: now, names };
    }
    const names = await this.listing.names;
    return !names || names.has(name);
  }

  /** Keeps the listing in step with a file this instance wrote or removed. */
  private listed(name: string, present: boolean): void {
    void this.listing?.names.then((names) => {
      if (present) names?.add(name);
      else names?.delete(name);
    });
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    if (this.memory) return void this.memory.set(key, entry);
    const name = this.fileFor(key);
    const text = JSON.stringify({ format: FORMAT, ...entry });
    const tmp = join(this.dir, `.${name}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.tmp`);
    try {
      await fs.mkdir(this.dir, { recursive: true });
      await fs.writeFile(tmp, text);
      await fs.rename(tmp, join(this.dir, name));
      this.listed(name, true);
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (UNUSABLE.has(code)) {
        // The folder itself is the problem: every later write would fail the same way.
        if (!this.memory) {
          this.memory = new Map();
          this.onUnusable(`${code}: ${(e as Error).message}`);
        }
        this.memory.set(key, entry);
        return;
      }
      this.onProblem(`could not write cache entry ${name}: ${(e as Error).message}`);
      return;
    }
    await this.account(name, Buffer.byteLength(text));
  }

  async delete(key: string): Promise<void> {
    if (this.memory) return void this.memory.delete(key);
    const name = this.fileFor(key);
    await fs.rm(join(this.dir, name), { force: true }).catch(() => undefined);
    this.listed(name, false);
    this.forget(name);
  }

  /** Bytes the cache holds, as far as this instance knows (scans the folder on first use). */
  async size(): Promise<number> {
    await this.serial(() => this.loadIndex());
    return this.total;
  }

  private forget(name: string): void {
    const known = this.index?.get(name);
    if (known) {
      this.total -= known.size;
      this.index!.delete(name);
    }
  }

  private account(name: string, size: number): Promise<void> {
    return this.serial(async () => {
      await this.loadIndex();
      this.forget(name);
      this.index!.set(name, { size, mtimeMs: Date.now() });
      this.total += size;
      if (this.total > this.maxBytes) await this.evict();
    });
  }

  /** The index is built lazily on the first write, so read-only (warm) sessions never scan. */
  private async loadIndex(): Promise<void> {
    if (this.index) return;
    this.index = new Map();
    this.total = 0;
    let names: string[] = [];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return;
    }
    const now = Date.now();
    await Promise.all(
      names.map(async (name) => {
        const path = join(this.dir, name);
        const st = await fs.stat(path).catch(() => undefined);
        if (!st) return;
        // Temp files left by a crash are garbage once they are older than any write.
        if (name.endsWith('.tmp')) {
          if (now - st.mtimeMs > 60_000) await fs.rm(path, { force: true });
          return;
        }
        if (!name.endsWith('.json')) return;
        // A time in the future (clock change, copied folder, touch -d) would make an entry look
        // newest forever and never be evicted: such entries go first instead.
        this.index!.set(name, { size: st.size, mtimeMs: st.mtimeMs > now + SKEW_MS ? 0 : st.mtimeMs });
        this.total += st.size;
      }),
    );
  }

  /** Deletes the oldest entries until the cache is at 90% of its bound, leaving room to grow. */
  private async evict(): Promise<void> {
    const target = this.maxBytes * 0.9;
    const oldestFirst = [...this.index!.entries()].sort((a, b) => a[1].mtimeMs - b[1].mtimeMs);
    for (const [name] of oldestFirst) {
      if (this.total <= target) break;
      await fs.rm(join(this.dir, name), { force: true }).catch(() => undefined);
      this.listed(name, false);
      this.forget(name);
    }
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function parseEntry(text: string, key: string): CacheEntry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const e = raw as Record<string, unknown>;
  if (e.format !== FORMAT || e.key !== key || typeof e.storedAt !== 'number') return undefined;
  if (e.etag !== undefined && typeof e.etag !== 'string') return undefined;
  const error = e.error as HubError | undefined;
  if (error !== undefined && (typeof error !== 'object' || typeof error.kind !== 'string' || typeof error.message !== 'string')) {
    return undefined;
  }
  if ((e.value === undefined) === (error === undefined)) return undefined;
  return { key, storedAt: e.storedAt, etag: e.etag as string | undefined, value: e.value, error };
}

/** node:crypto, loaded with the first key: a scan that asks the Hub nothing does not pay its start-up. */
let cryptoModule: typeof import('node:crypto') | undefined;
const crypto = () => (cryptoModule ??= require('node:crypto') as typeof import('node:crypto'));

/** One-shot hashing where Node has it (a scan names thousands of keys; a Hash object each costs several times more). */
function sha256Hex(text: string): string {
  const oneShot = (crypto() as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
  return oneShot ? oneShot('sha256', text, 'hex') : crypto().createHash('sha256').update(text).digest('hex');
}
