// Which scanner reads which file: one entry per file kind. New languages (notebooks,
// JavaScript/TypeScript, shell, configs) join by adding an entry here, nothing else.
import type { ModelReference } from '../core/types';
import { mightLoadModels, scanPython, type ScanOptions } from './python';

export interface FileKind {
  /** What users call it, for notes ("Python file", "Jupyter notebook"). */
  name: string;
  /** True when this scanner reads the file with this path (a base name or a relative path). */
  matches(path: string): boolean;
  /** Finds the model references in the file's text. */
  scan(text: string, options: ScanOptions): Promise<ModelReference[]>;
  /**
   * Cheap test (a substring search, no parsing): false only when the text cannot contain a
   * load, so `scan` would find nothing. Scans skip such files without handing them to a worker.
   */
  mightContainLoads?(text: string): boolean;
}

const byExtension = (...extensions: string[]) => (path: string) => extensions.some((ext) => path.toLowerCase().endsWith(ext));

export const FILE_KINDS: FileKind[] = [
  { name: 'Python file', matches: byExtension('.py'), scan: scanPython, mightContainLoads: mightLoadModels },
];

/** The scanner for a path, or undefined when PTM Lens does not read files like it. */
export function fileKindOf(path: string): FileKind | undefined {
  return FILE_KINDS.find((kind) => kind.matches(path));
}
