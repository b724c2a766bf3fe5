// A scan worker's part of the end-of-scan wrapper search: files read from disk and searched for
// the workspace's wrapper names, while the scan's own thread searches the texts it holds.
import { readRegularScratch } from '../core/read-regular-file';
import { NamesSearch } from '../scan/workspace-symbols';
import { FOUND_MAYBE, FOUND_NONE, FOUND_UNREADABLE } from './parallel-scan';

/**
 * Per file, whether it may name one of the names other than as a definition (NamesSearch.mayName
 * with `calls`), or cannot be read now; undefined when a name cannot be searched for.
 */
export function namesInFiles(files: string[], maxBytes: number[], names: string[]): Uint8Array | undefined {
  const search = new NamesSearch([new Map(names.map((name) => [name, true]))]);
  if (!search.current()) return undefined;
  const found = new Uint8Array(files.length);
  for (let i = 0; i < files.length; i++) {
    let bytes: Buffer;
    try {
      bytes = readRegularScratch(files[i], maxBytes[i]);
    } catch {
      found[i] = FOUND_UNREADABLE;
      continue;
    }
    found[i] = search.mayName(bytes, true) ? FOUND_MAYBE : FOUND_NONE;
  }
  return found;
}
