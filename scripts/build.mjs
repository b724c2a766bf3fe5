// Bundles the client, the language server and the CLI with esbuild, and copies the
// tree-sitter grammars next to the bundles (a CommonJS bundle cannot find them itself).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const outdir = 'dist';
mkdirSync(outdir, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // server/scan/tree-sitter.ts loads web-tree-sitter's CommonJS build at run time (copied below).
  // Should anything import it directly, bundle that build too: the ESM build locates itself
  // through import.meta.url, which a CommonJS bundle lacks.
  // jsonc-parser's main build is UMD with run-time requires esbuild cannot follow: bundle its ESM build.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter'), 'jsonc-parser': require.resolve('jsonc-parser/lib/esm/main.js') },
  define: { PTM_LENS_VERSION: JSON.stringify(require('../package.json').version) },
};

/** An esbuild plugin that leaves package `name` out of a bundle, required from `file` beside it instead. */
function vendorFile(name, file) {
  return {
    name: `vendor-${name}`,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${name}$`) }, () => ({ path: file, external: true }));
    },
  };
}

/**
 * The CLI is three files: the bundle (cli-main.js), undici for it (cli-undici.js) and `ptm-lens`
 * itself (cli.js), a small starter that runs the bundle from a V8 code cache keyed by the bundle's hash.
 */
async function buildCli() {
  // Without spaces and comments even in development: V8 reads a third less at every start
  // (names are kept, and the source map still points into the sources).
  // undici (two fifths of the code) is its own file, read only by runs that reach the Hub:
  // every other run neither reads nor compiles it.
  await build({
    ...common,
    entryPoints: { 'cli-main': 'server/cli/main.ts' },
    outdir,
    external: ['onnxruntime-node'],
    plugins: [vendorFile('undici', './cli-undici.js')],
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: production,
  });
  await build({ ...common, entryPoints: { 'cli-undici': require.resolve('undici') }, outdir, minifyWhitespace: true, minifySyntax: true, minifyIdentifiers: production });
  const hash = asciiBundleHash('cli-main.js');
  await build({
    ...common,
    entryPoints: { cli: 'server/cli/start.ts' },
    outdir,
    banner: { js: '#!/usr/bin/env node' },
    define: { ...common.define, PTM_LENS_CLI_BUNDLE: JSON.stringify({ file: 'cli-main.js', hash }) },
  });
}

/**
 * The ASCII bundle `name` was built into: its content hash, for a starter that runs it from a
 * code cache (read as Latin-1, which is only right for ASCII; esbuild escapes the rest unless told otherwise).
 */
function asciiBundleHash(name) {
  const code = readFileSync(join(outdir, name));
  if (code.some((byte) => byte > 0x7f)) throw new Error(`dist/${name} is not ASCII: its starter would read it wrongly`);
  return createHash('sha256').update(code).digest('hex').slice(0, 16);
}

/**
 * A scan worker is two files like the CLI: the bundle (scan-worker-main.js, without spaces and
 * comments, names kept) and `scan-worker.js`, which starts it from a code cache keyed by its hash.
 */
async function buildScanWorker() {
  await build({ ...common, entryPoints: { 'scan-worker-main': 'server/engine/scan-worker.ts' }, outdir, external: ['onnxruntime-node'], minifyWhitespace: true, minifySyntax: true, minifyIdentifiers: production });
  const hash = asciiBundleHash('scan-worker-main.js');
  await build({
    ...common,
    entryPoints: { 'scan-worker': 'server/engine/scan-worker-start.ts' },
    outdir,
    define: { ...common.define, PTM_LENS_SCAN_WORKER_BUNDLE: JSON.stringify({ file: 'scan-worker-main.js', hash }) },
  });
}

await Promise.all([
  build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir, external: ['vscode'] }),
  build({ ...common, entryPoints: { server: 'server/lsp/main.ts' }, outdir, external: ['onnxruntime-node'] }),
  build({ ...common, entryPoints: { 'analysis-worker': 'server/lsp/analysis-worker.ts' }, outdir, external: ['onnxruntime-node'] }),
  buildScanWorker(),
  buildCli(),
  // The probe report's webview script runs in the webview, not in Node.
  build({ ...common, entryPoints: { 'probe-report': 'media/probe-report.ts' }, outdir, platform: 'browser', format: 'iife', target: 'es2022' }),
]);

const grammars = ['tree-sitter-python.wasm', 'tree-sitter-javascript.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm'];
const grammarDir = dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm'));
for (const file of grammars) copyFileSync(join(grammarDir, file), join(outdir, file));
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(outdir, 'web-tree-sitter.wasm'));
// Loaded at run time, not bundled: after a WASM failure the scanner evaluates a fresh copy.
copyFileSync(require.resolve('web-tree-sitter'), join(outdir, 'web-tree-sitter.cjs'));
// The conversion check's helper runs in the user's Python, next to the bundles.
copyFileSync('server/onnx/python/ptm_lens_check.py', join(outdir, 'ptm_lens_check.py'));
