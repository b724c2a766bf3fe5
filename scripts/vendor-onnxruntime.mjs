// Copies onnxruntime-node, with only one platform's native binary, next to the bundles
// (dist/node_modules), so a platform-specific VSIX carries the runtime the conversion check
// loads: `node scripts/vendor-onnxruntime.mjs linux-x64`, then `vsce package --target linux-x64`.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const target = process.argv[2];
const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
if (!TARGETS.includes(target)) {
  console.error(`usage: node scripts/vendor-onnxruntime.mjs (${TARGETS.join('|')})`);
  process.exit(2);
}
const [platform, arch] = target.split('-');
const ort = dirname(require.resolve('onnxruntime-node/package.json'));
// onnxruntime-common exports no package.json: find its folder from its entry point (dist/cjs/index.js).
const common = join(dirname(require.resolve('onnxruntime-common', { paths: [ort] })), '..', '..');
const out = join('dist', 'node_modules');
rmSync(out, { recursive: true, force: true });

const binaries = join('bin', 'napi-v6', platform, arch);
if (!existsSync(join(ort, binaries))) {
  console.error(`onnxruntime-node has no binary for ${target} (${join(ort, binaries)})`);
  process.exit(1);
}
mkdirSync(join(out, 'onnxruntime-node'), { recursive: true });
for (const part of ['package.json', 'dist', 'README.md', binaries]) cpSync(join(ort, part), join(out, 'onnxruntime-node', part), { recursive: true });
cpSync(common, join(out, 'onnxruntime-common'), { recursive: true, filter: (source) => !/[\\/]lib[\\/]/.test(source) });
console.log(`onnxruntime-node for ${target} copied to ${out}`);
