// A workspace index of wrapper functions, one per name, each in its own module, for tests of
// the word lookups that decide whether a file may call one.
import { emptySymbols, moduleNames, type WorkspaceSymbols } from '../../server/scan/workspace-symbols';

export function wrapperIndex(names: string[]): WorkspaceSymbols {
  const symbols = emptySymbols();
  for (const [i, name] of names.entries()) {
    const file = `pkg${i % 3}/mod${i}.py`;
    symbols.wrappers.set(name, [{ key: `${file}:${name}`, name, file, modules: moduleNames(file), line: 1, parameter: 'p', position: 0, loaderSpec: 'from_pretrained', loader: 'transformers.from_pretrained', library: 'transformers', innerIdStart: 0 }]);
  }
  return symbols;
}
