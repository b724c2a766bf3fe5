// Regenerates server/naming/data/model-types.json and hub-tasks.json from the npm packages
// @huggingface/transformers (its model registry) and @huggingface/tasks (PIPELINE_DATA, GGUF
// quantization names). The packages are not dependencies: unpack them first, e.g.
//   mkdir -p /tmp/hf && cd /tmp/hf && npm pack @huggingface/transformers @huggingface/tasks
//   mkdir tf tk && tar xzf huggingface-transformers-*.tgz -C tf && tar xzf huggingface-tasks-*.tgz -C tk
//   node scripts/naming-vocab.mjs /tmp/hf/tf/package /tmp/hf/tk/package
// languages.json comes from Debian's iso-codes package (/usr/share/iso-codes/json/iso_639-2.json).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [transformersDir, tasksDir] = process.argv.slice(2);
if (!transformersDir || !tasksDir) {
  process.stderr.write('usage: node scripts/naming-vocab.mjs <@huggingface/transformers dir> <@huggingface/tasks dir>\n');
  process.exit(2);
}
const version = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
const out = (file) => new URL(`../server/naming/data/${file}`, import.meta.url);

// The registry lists every model type as the first string of a ['type', 'ClassName'] pair.
const registry = readFileSync(join(transformersDir, 'src/models/registry.js'), 'utf8');
const modelTypes = [...new Set([...registry.matchAll(/\[\s*'([a-z0-9_\-.]+)'\s*,\s*'[A-Za-z0-9]+'\s*\]/g)].map((m) => m[1]))].sort();
// The Python list (pythonModelTypes) is kept as it is: it was read from transformers' GitHub
// sources, which this script does not fetch.
const previous = JSON.parse(readFileSync(out('model-types.json'), 'utf8'));
writeFileSync(out('model-types.json'), JSON.stringify({
  source: `@huggingface/transformers ${version(transformersDir)} (npm), src/models/registry.js: model type names`,
  modelTypes,
  pythonSource: previous.pythonSource,
  pythonModelTypes: previous.pythonModelTypes,
}, null, 1) + '\n');

const require = createRequire(import.meta.url);
const { PIPELINE_DATA } = require(join(tasksDir, 'dist/commonjs/pipelines.js'));
const tasks = Object.keys(PIPELINE_DATA).sort();
const subtasks = [...new Set(Object.values(PIPELINE_DATA).flatMap((t) => (t.subtasks ?? []).map((s) => s.type)))].sort();
let quantTypes = [];
try {
  const gguf = require(join(tasksDir, 'dist/commonjs/gguf.js'));
  const enumObject = gguf.GGMLFileQuantizationType ?? gguf.GGMLQuantizationType ?? {};
  quantTypes = Object.keys(enumObject).filter((k) => Number.isNaN(Number(k))).map((k) => k.toLowerCase()).sort();
} catch {
  // Older packages have no GGUF module: the list stays empty.
}
writeFileSync(out('hub-tasks.json'), JSON.stringify({
  source: `@huggingface/tasks ${version(tasksDir)} (npm): PIPELINE_DATA keys, their subtask types, GGUF quantization type names`,
  tasks,
  subtasks,
  quantTypes,
}, null, 1) + '\n');
const isoFile = '/usr/share/iso-codes/json/iso_639-2.json';
let languages = 0;
try {
  const iso = JSON.parse(readFileSync(isoFile, 'utf8'))['639-2'];
  const entries = iso.filter((e) => e.alpha_2).map((e) => ({
    code: e.alpha_2,
    // "Spanish; Castilian" -> spanish, castilian; only one-word names are useful in model names.
    names: e.name.split(/[;,]/).map((n) => n.trim().toLowerCase()).filter((n) => /^[a-z]+$/.test(n)),
  }));
  languages = entries.length;
  writeFileSync(out('languages.json'), JSON.stringify({ source: `ISO 639-1 codes and names from Debian iso-codes (${isoFile})`, languages: entries }, null, 1) + '\n');
} catch (error) {
  process.stderr.write(`languages.json not regenerated: ${error.message}\n`);
}
process.stdout.write(`${languages} languages, ${modelTypes.length} model types, ${tasks.length} tasks, ${subtasks.length} subtasks, ${quantTypes.length} quantization types\n`);
