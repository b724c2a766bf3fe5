// Which scanner reads which file: one entry per file kind. New languages (notebooks,
// JavaScript/TypeScript, shell, configs) join by adding an entry here, nothing else.
import type { Language, ModelReference } from '../core/types';
import type { NotebookView } from '../core/notebook-view';
import { loadOnce } from '../core/load-once';
import type { JsGrammar } from './javascript';
import { mightLoadModels, scanPython, type ScanOptions } from './python';
import { LOADER_HINTS } from './loaders';

export interface FileKind {
  /** What users call it, for notes ("Python file", "Jupyter notebook"). */
  name: string;
  /** The `language` its references report. */
  language: Language;
  /** True when this scanner reads the file with this path (a base name or a relative path). */
  matches(path: string): boolean;
  /** Finds the model references in the file's text. */
  scan(text: string, options: ScanOptions): Promise<ModelReference[]>;
  /** Files whose code is not their text (a notebook's cells): the text `scan` reads instead, which the spans index. */
  view?(text: string): NotebookView;
  /**
   * Cheap test (a substring search, no parsing): false only when the text cannot contain a
   * load, so `scan` would find nothing. Scans skip such files without handing them to a worker.
   */
  mightContainLoads?(text: string): boolean;
  /**
   * The words `mightContainLoads` looks for, when it is a plain substring test: workspace scans
   * then test a file's bytes in one pass and never decode the files that name none.
   */
  loadHints?: readonly string[];
}

/** The notebook reader (and its JSON parser), loaded with the first notebook: most scans meet none. */
const notebookModule = loadOnce((): typeof import('./notebook') => require('./notebook'));
// The other scanners load with the first file of their kind too: a scan worker of a Python tree
// never evaluates them (the config scanner's YAML parser alone took about 15 ms of each worker's start).
const javascriptModule = loadOnce((): typeof import('./javascript') => require('./javascript'));
const shellModule = loadOnce((): typeof import('./shell') => require('./shell'));
const configModule = loadOnce((): typeof import('./config') => require('./config'));

const byExtension = (...extensions: string[]) => (path: string) => extensions.some((ext) => path.toLowerCase().endsWith(ext));

const javascriptScan = (grammar: JsGrammar, language: 'javascript' | 'typescript') => (text: string, options: ScanOptions) => javascriptModule().scanJavaScript(text, grammar, language, options);
const shellScan = (language: Language) => async (text: string, options: ScanOptions) => shellModule().scanShellText(text, language, options);
/** A config kind: its extensions tested here, so listing a tree without configs never loads the config scanner for its own tests. */
const configFile = (test: (config: typeof import('./config'), path: string) => boolean, ...extensions: string[]) => {
  const named = byExtension(...extensions);
  return (path: string) => named(path) && test(configModule(), path);
};

export const FILE_KINDS: FileKind[] = [
  { name: 'Python file', language: 'python', matches: byExtension('.py'), scan: scanPython, mightContainLoads: mightLoadModels, loadHints: LOADER_HINTS },
  { name: 'Jupyter notebook', language: 'python', matches: byExtension('.ipynb'), view: (text) => notebookModule().notebookView(text), scan: scanPython },
  { name: 'JavaScript file', language: 'javascript', matches: byExtension('.js', '.mjs', '.cjs', '.jsx'), scan: javascriptScan('javascript', 'javascript') },
  { name: 'TypeScript file', language: 'typescript', matches: byExtension('.ts', '.mts', '.cts'), scan: javascriptScan('typescript', 'typescript') },
  { name: 'TSX file', language: 'typescript', matches: byExtension('.tsx'), scan: javascriptScan('tsx', 'typescript') },
  { name: 'shell script', language: 'shell', matches: byExtension('.sh', '.bash', '.zsh'), scan: shellScan('shell') },
  { name: 'Dockerfile', language: 'dockerfile', matches: (path) => /(?:^|[\\/])(?:Dockerfile|Containerfile)[^\\/]*$|\.dockerfile$/i.test(path), scan: shellScan('dockerfile') },
  { name: 'Makefile', language: 'makefile', matches: (path) => /(?:^|[\\/])(?:GNU)?makefile$|\.mk$/i.test(path), scan: shellScan('makefile') },
  // YAML: model keys of configs, and download commands in CI `run:` blocks.
  { name: 'YAML file', language: 'yaml', matches: configFile((config, path) => config.isConfigYaml(path), '.yaml', '.yml'), scan: async (text, options) => [...configModule().scanYamlOrJson(text, 'yaml', options), ...shellModule().scanShellText(text, 'yaml', options)].sort((a, b) => a.idSpan.start - b.idSpan.start) },
  { name: 'JSON file', language: 'json', matches: configFile((config, path) => config.isConfigJson(path), '.json'), scan: async (text, options) => configModule().scanYamlOrJson(text, 'json', options) },
  { name: 'TOML file', language: 'toml', matches: configFile((config, path) => config.isConfigToml(path), '.toml'), scan: async (text, options) => configModule().scanToml(text, 'toml', options) },
];

/** The scanner for a path, or undefined when PTM Lens does not read files like it. */
export function fileKindOf(path: string): FileKind | undefined {
  return FILE_KINDS.find((kind) => kind.matches(path));
}
