// Keeps the layering of docs/architecture-parts.json: no import in its "never" list may
// exist, and protocol/ imports nothing from server/. Reads every TypeScript source's
// imports with the TypeScript compiler's own pre-processor (import, export-from,
// require, dynamic import), so no import form slips past a regular expression.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..', '..');
const SOURCE_FOLDERS = ['client/src', 'protocol', 'server'];

interface Parts {
  parts: Record<string, { is: string[] }>;
  never: [string, string, string?][];
}

const layout = JSON.parse(readFileSync(join(ROOT, 'docs', 'architecture-parts.json'), 'utf8')) as Parts;

/** Repository-relative path with "/" separators. */
function repoPath(file: string): string {
  return relative(ROOT, file).split(sep).join('/');
}

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** Relative imports of one file, resolved to repository paths (no extension). */
export function importsOf(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => repoPath(resolve(ROOT, dirname(file), name)));
}

export function partOf(path: string): string | undefined {
  let best: [string, number] | undefined;
  for (const [name, part] of Object.entries(layout.parts)) {
    for (const prefix of part.is) {
      const folder = prefix.replace(/\/$/, '');
      if ((path === folder || path.startsWith(`${folder}/`)) && (!best || folder.length > best[1])) best = [name, folder.length];
    }
  }
  return best?.[0];
}

/** Every import that crosses a "never" edge, as "file -> import (reason)". */
export function forbiddenImports(files: Map<string, string[]>): string[] {
  const broken: string[] = [];
  for (const [file, imports] of files) {
    const from = partOf(file);
    for (const target of imports) {
      const to = partOf(target);
      const rule = layout.never.find(([a, b]) => a === from && b === to);
      if (rule) broken.push(`${file} -> ${target} (${from} must not import ${to}: ${rule[2] ?? ''})`);
      if (from === 'Protocol' && target.startsWith('server/')) broken.push(`${file} -> ${target} (protocol/ imports nothing from server/)`);
    }
  }
  return broken;
}

describe('architecture', () => {
  const graph = new Map(SOURCE_FOLDERS.flatMap(sourceFiles).map((file) => [file, importsOf(file)] as const));

  test('the import graph is read (sanity: known edges are seen)', () => {
    assert.ok(graph.size > 50, `only ${graph.size} source files found`);
    assert.ok(graph.get('server/lsp/main.ts')?.includes('protocol/index') || graph.get('server/lsp/main.ts')?.includes('protocol'));
    assert.ok(graph.get('server/engine/analyze.ts')?.includes('server/scan/file-kinds'));
    for (const file of graph.keys()) assert.ok(partOf(file), `${file} belongs to no part of docs/architecture-parts.json`);
  });

  test('no import in the "never" list exists', () => {
    assert.deepEqual(forbiddenImports(graph), []);
  });

  test('the check catches every import form', () => {
    const forms = [
      "import { x } from '../knowledge/card-score';",
      "import type { X } from '../knowledge/card-score';",
      "export { x } from '../knowledge/card-score';",
      "const x = require('../knowledge/card-score');",
      "const x = await import('../knowledge/card-score');",
    ];
    for (const form of forms) {
      const broken = forbiddenImports(new Map([['server/lsp/example.ts', importsOf('server/lsp/example.ts', form)]]));
      assert.equal(broken.length, 1, form);
      assert.match(broken[0], /LSP must not import Knowledge/);
    }
    const protocol = forbiddenImports(new Map([['protocol/index.ts', importsOf('protocol/index.ts', "import type { Severity } from '../server/config/settings';")]]));
    assert.match(protocol.join('\n'), /protocol\/ imports nothing from server\//);
  });
});
