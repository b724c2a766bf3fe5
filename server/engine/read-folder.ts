// Reads a folder's entries for the tree walks (source files, ONNX files). Synchronously: a walk
// of a few hundred folders through the thread pool spent more time handing each read over and
// waking up for its answer than reading (several times more on a loaded machine). Every few
// dozen folders the walk yields to the event loop, so a language server walking a big tree
// still answers the editor in between.
import { readdirSync, type Dirent } from 'node:fs';

const FOLDERS_BETWEEN_YIELDS = 32;
let sinceYield = 0;

/** The entries of `dir` (with their types); throws as fs.readdir does. */
export async function readFolder(dir: string): Promise<Dirent[]> {
  if (++sinceYield >= FOLDERS_BETWEEN_YIELDS) {
    sinceYield = 0;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return readdirSync(dir, { withFileTypes: true });
}
