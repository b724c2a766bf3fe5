// Unit tests for the JavaScript/TypeScript scanner (server/scan/javascript.ts): transformers.js,
// @huggingface/inference and @huggingface/hub calls, imports and constants, spans, revisions
// and the pin fix written in JavaScript. Every expectation is written by hand from its snippet.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptySettings } from '../../server/config/settings';
import type { ModelReference } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';
import { fileKindOf } from '../../server/scan/file-kinds';
import { scanJavaScript } from '../../server/scan/javascript';

async function scan(text: string, path = 'app.ts'): Promise<ModelReference[]> {
  return fileKindOf(path)!.scan(text, {});
}

/** id (or `?expr/reason`), loader, the text under idSpan, revision value. */
function brief(text: string, r: ModelReference): [string, string, string, unknown] {
  return [r.modelId ?? `?${r.unresolved}/${r.unresolvedReason}`, r.loader, text.slice(r.idSpan.start, r.idSpan.end), r.revision ? (r.revision.resolved ? r.revision.value : `?${r.revision.text}`) : undefined];
}

async function briefs(text: string, path = 'app.ts'): Promise<[string, string, string, unknown][]> {
  return (await scan(text, path)).map((r) => brief(text, r));
}

describe('transformers.js', () => {
  test('pipeline and from_pretrained through named, aliased, namespace, require and dynamic imports', async () => {
    const text = [
      "import { pipeline, AutoTokenizer, AutoModelForCausalLM as LM } from '@huggingface/transformers';",
      "import * as xt from '@xenova/transformers';",
      "const { AutoModel } = require('@xenova/transformers');",
      'async function main() {',
      "  const { pipeline: p2 } = await import('@huggingface/transformers');",
      "  await pipeline('sentiment-analysis', 'Xenova/distilbert-base-uncased-finetuned-sst-2-english');",
      "  await AutoTokenizer.from_pretrained(\"Xenova/gpt2\", { revision: 'main' });",
      '  await LM.from_pretrained(`onnx-community/Qwen2.5-0.5B-Instruct`);',
      "  await xt.AutoProcessor.from_pretrained('Xenova/clip-vit-base-patch32');",
      "  await AutoModel.from_pretrained('Xenova/bert-base-uncased', { revision: 'abc1234' });",
      "  await p2('fill-mask', 'Xenova/bert-base-cased');",
      "  await pipeline('fill-mask');", // the task's default model: no id written here
      '}',
    ].join('\n');
    assert.deepEqual(await briefs(text), [
      ['Xenova/distilbert-base-uncased-finetuned-sst-2-english', 'transformers.js.pipeline', "'Xenova/distilbert-base-uncased-finetuned-sst-2-english'", undefined],
      ['Xenova/gpt2', 'transformers.js.from_pretrained', '"Xenova/gpt2"', 'main'],
      ['onnx-community/Qwen2.5-0.5B-Instruct', 'transformers.js.from_pretrained', '`onnx-community/Qwen2.5-0.5B-Instruct`', undefined],
      ['Xenova/clip-vit-base-patch32', 'transformers.js.from_pretrained', "'Xenova/clip-vit-base-patch32'", undefined],
      ['Xenova/bert-base-uncased', 'transformers.js.from_pretrained', "'Xenova/bert-base-uncased'", 'abc1234'],
      ['Xenova/bert-base-cased', 'transformers.js.pipeline', "'Xenova/bert-base-cased'", undefined],
    ]);
    const receivers = (await scan(text)).map((r) => r.receiver);
    assert.deepEqual(receivers, [undefined, 'AutoTokenizer', 'AutoModelForCausalLM', 'AutoProcessor', 'AutoModel', undefined]);
  });

  test('a pipeline function of another package, or a from_pretrained of a class not imported from transformers.js, is not a load', async () => {
    const text = [
      "import { pipeline } from 'node:stream/promises';",
      "import { AutoModel } from './my-models';",
      "import { env } from '@huggingface/transformers';",
      "await pipeline('a', 'org/name');",
      "await AutoModel.from_pretrained('org/name');",
    ].join('\n');
    assert.deepEqual(await scan(text), []);
  });

  test('constants, object properties, class fields and environment defaults resolve; the rest says why not', async () => {
    const text = [
      "import { pipeline, AutoModel } from '@huggingface/transformers';",
      "const MODEL = 'Xenova/gpt2';",
      "const CONFIG = { models: { ner: 'Xenova/bert-base-NER' } } as const;",
      'let changing = "org/first";',
      'changing = "org/second";',
      'class Singleton {',
      "  static task = 'token-classification';",
      "  static model = 'Xenova/bert-base-multilingual-cased-ner-hrl';",
      '  static get() { return pipeline(this.task, this.model); }',
      '}',
      'export async function load(modelName: string, modelPath: string) {',
      "  await pipeline('text-generation', MODEL);",
      "  await pipeline('ner', CONFIG.models.ner);",
      "  await AutoModel.from_pretrained(process.env.MODEL_ID ?? 'org/env-default');",
      '  await AutoModel.from_pretrained(modelName);',
      '  await AutoModel.from_pretrained(modelPath);',
      '  await AutoModel.from_pretrained(process.env.MODEL_ID);',
      '  await AutoModel.from_pretrained(changing);',
      '  await AutoModel.from_pretrained(`${MODEL}-onnx`);',
      '  for (const m of ["a/b"]) await AutoModel.from_pretrained(m);',
      '}',
    ].join('\n');
    const refs = await scan(text);
    assert.deepEqual(refs.map((r) => brief(text, r)), [
      ['Xenova/bert-base-multilingual-cased-ner-hrl', 'transformers.js.pipeline', 'this.model', undefined],
      ['Xenova/gpt2', 'transformers.js.pipeline', 'MODEL', undefined],
      ['Xenova/bert-base-NER', 'transformers.js.pipeline', 'CONFIG.models.ner', undefined],
      ['org/env-default', 'transformers.js.from_pretrained', "process.env.MODEL_ID ?? 'org/env-default'", undefined],
      ['?modelName/parameter', 'transformers.js.from_pretrained', 'modelName', undefined],
      ['?modelPath/parameter', 'transformers.js.from_pretrained', 'modelPath', undefined],
      ['?process.env.MODEL_ID/environment', 'transformers.js.from_pretrained', 'process.env.MODEL_ID', undefined],
      ['?changing/other', 'transformers.js.from_pretrained', 'changing', undefined],
      ['?`${MODEL}-onnx`/other', 'transformers.js.from_pretrained', '`${MODEL}-onnx`', undefined],
      ['?m/loop', 'transformers.js.from_pretrained', 'm', undefined],
    ]);
    assert.deepEqual(refs.map((r) => r.idSource), ['class field this.model', 'constant MODEL', 'property CONFIG.models.ner', 'default of process.env.MODEL_ID', undefined, undefined, undefined, undefined, undefined, undefined]);
    assert.equal(refs[3].idOverridable, true);
    assert.equal(refs[5].likelyPath, true, 'modelPath reads as a path');
    assert.equal(refs[4].likelyPath, undefined);
  });

  test('a local path or a URL elsewhere is no Hub id; a Hub URL is', async () => {
    const text = [
      "import { AutoModel } from '@huggingface/transformers';",
      "await AutoModel.from_pretrained('./models/bert');",
      "await AutoModel.from_pretrained('/opt/models/bert');",
      "await AutoModel.from_pretrained('https://example.com/model');",
      "await AutoModel.from_pretrained('https://huggingface.co/Xenova/gpt2');",
    ].join('\n');
    assert.deepEqual((await scan(text)).map((r) => r.modelId), ['Xenova/gpt2']);
  });
});

describe('@huggingface/inference and @huggingface/hub', () => {
  test('task calls with model:, endpoint URLs, and other providers\' names left alone', async () => {
    const text = [
      "import { InferenceClient, HfInference, textGeneration } from '@huggingface/inference';",
      'const client = new InferenceClient(process.env.HF_TOKEN);',
      'const hf = new HfInference();',
      "const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';",
      'export async function run() {',
      "  await client.chatCompletion({ model: MODEL, messages: [] });",
      "  await hf.featureExtraction({ model: 'sentence-transformers/all-MiniLM-L6-v2:hf-inference', inputs: 'x' });",
      "  await textGeneration({ accessToken: 't', model: 'openai-community/gpt2', inputs: 'x' });",
      "  await client.chatCompletion({ provider: 'openai', model: 'gpt-4o', messages: [] });",
      "  await new InferenceClient().textToImage({ model: 'black-forest-labs/FLUX.1-dev', inputs: 'x' });",
      "  const ep = hf.endpoint('https://api-inference.huggingface.co/models/openai-community/gpt2-large');",
      "  const own = hf.endpoint('https://xyz.endpoints.huggingface.cloud');",
      "  await client.textGeneration({ endpointUrl: 'https://router.huggingface.co/hf-inference/models/google/gemma-2-2b-it', inputs: 'x' });",
      "  await unrelated.textGeneration({ model: 'org/not-a-client' });",
      '}',
    ].join('\n');
    const refs = await scan(text);
    assert.deepEqual(refs.map((r) => brief(text, r)), [
      ['meta-llama/Llama-3.1-8B-Instruct', 'huggingface.js.inference', 'MODEL', undefined],
      ['sentence-transformers/all-MiniLM-L6-v2', 'huggingface.js.inference', "'sentence-transformers/all-MiniLM-L6-v2:hf-inference'", undefined],
      ['openai-community/gpt2', 'huggingface.js.inference', "'openai-community/gpt2'", undefined],
      ['black-forest-labs/FLUX.1-dev', 'huggingface.js.inference', "'black-forest-labs/FLUX.1-dev'", undefined],
      ['openai-community/gpt2-large', 'huggingface.js.inference', "'https://api-inference.huggingface.co/models/openai-community/gpt2-large'", undefined],
      ['google/gemma-2-2b-it', 'huggingface.js.inference', "'https://router.huggingface.co/hf-inference/models/google/gemma-2-2b-it'", undefined],
    ]);
    assert.ok(refs.every((r) => !r.canPin), 'the Inference API takes no revision');
    assert.equal(refs[4].idSource, 'endpoint URL', 'an id inside a URL has a source, so no fix replaces the whole URL with it');
    assert.equal(refs[1].idSource, 'model with a provider suffix', 'org/name:provider routes the Hub model org/name');
  });

  test('hub downloads: string and object repos; datasets and spaces are skipped; revision and path are read', async () => {
    const text = [
      "import { downloadFile, snapshotDownload, listFiles } from '@huggingface/hub';",
      "await downloadFile({ repo: 'openai-community/gpt2', path: 'config.json' });",
      "await downloadFile({ repo: { type: 'model', name: 'Xenova/gpt2' }, path: 'onnx/model.onnx', revision: 'main' });",
      "await snapshotDownload({ repo: { type: 'dataset', name: 'org/data' } });",
      "await listFiles({ repo: 'datasets/org/data' });",
      "await listFiles({ repo: 'spaces/org/app' });",
      "await listFiles({ repo: 'models/org/named-model' });",
    ].join('\n');
    const refs = await scan(text);
    assert.deepEqual(refs.map((r) => brief(text, r)), [
      ['openai-community/gpt2', 'huggingface.js.hub', "'openai-community/gpt2'", undefined],
      ['Xenova/gpt2', 'huggingface.js.hub', "'Xenova/gpt2'", 'main'],
      ['org/named-model', 'huggingface.js.hub', "'models/org/named-model'", undefined],
    ]);
    assert.equal(refs[0].options.filename?.value, 'config.json');
    assert.equal(refs[1].options.filename?.value, 'onnx/model.onnx');
  });
});

describe('grammars, languages and failures', () => {
  test('TSX, JSX, .mjs and .cjs files are read with their grammar and report their language', async () => {
    const tsx = "import { pipeline } from '@huggingface/transformers';\nexport const App = () => <div onClick={() => pipeline('x', 'Xenova/gpt2')}>{(x as any)}</div>;\n";
    const jsx = "import { pipeline } from '@huggingface/transformers';\nexport const App = () => <div onClick={() => pipeline('x', 'Xenova/gpt2')} />;\n";
    assert.deepEqual((await scan(tsx, 'App.tsx')).map((r) => [r.modelId, r.language]), [['Xenova/gpt2', 'typescript']]);
    assert.deepEqual((await scan(jsx, 'App.jsx')).map((r) => [r.modelId, r.language]), [['Xenova/gpt2', 'javascript']]);
    const cjs = "const { pipeline } = require('@xenova/transformers');\npipeline('x', 'Xenova/gpt2');\n";
    assert.deepEqual((await scan(cjs, 'a.cjs')).map((r) => [r.modelId, r.language]), [['Xenova/gpt2', 'javascript']]);
    assert.deepEqual((await scan(cjs, 'a.mjs')).map((r) => r.modelId), ['Xenova/gpt2']);
  });

  test('a file that names no Hugging Face package is not parsed; broken syntax still yields the calls it can read', async () => {
    assert.deepEqual(await scanJavaScript("pipeline('x', 'org/name')", 'javascript', 'javascript'), []);
    const broken = "import { pipeline } from '@huggingface/transformers';\nconst half = ;\npipeline('x', 'Xenova/gpt2');\nif (\n";
    assert.deepEqual((await scan(broken, 'a.js')).map((r) => r.modelId), ['Xenova/gpt2']);
  });
});

describe('rules on JavaScript references', () => {
  const context = (relativePath: string) => ({ relativePath, settings: emptySettings(), localCommit: () => undefined });
  const apply = (text: string, edit: { span: { start: number; end: number }; newText: string }) => text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);

  test('PTM402 with a pin fix written as JavaScript: a new options argument, a new property, or the revision value replaced', async () => {
    const text = [
      "import { pipeline, AutoModel } from '@huggingface/transformers';",
      "await pipeline('ner', 'Xenova/bert-base-NER');",
      "await AutoModel.from_pretrained('Xenova/gpt2', { dtype: 'q8' });",
      "await AutoModel.from_pretrained('Xenova/bert', {});",
      "await AutoModel.from_pretrained('Xenova/t5', { revision: 'main' });",
      'await AutoModel.from_pretrained(\'Xenova/opaque\', options);',
    ].join('\n');
    const { findings } = await analyzeText(text, context('app.js'));
    const pins = findings.filter((f) => f.code === 'PTM402');
    assert.deepEqual(pins.map((f) => f.modelId), ['Xenova/bert-base-NER', 'Xenova/gpt2', 'Xenova/bert', 'Xenova/t5'], 'options passed as a variable may pin: not flagged');
    const fixed = pins.map((f) => apply(text, f.fixes[0].edits[0]).split('\n')[text.slice(0, f.span.start).split('\n').length - 1]);
    assert.deepEqual(fixed, [
      "await pipeline('ner', 'Xenova/bert-base-NER', { revision: \"${1:commit-sha}\" });",
      "await AutoModel.from_pretrained('Xenova/gpt2', { dtype: 'q8', revision: \"${1:commit-sha}\" });",
      "await AutoModel.from_pretrained('Xenova/bert', { revision: \"${1:commit-sha}\" });",
      "await AutoModel.from_pretrained('Xenova/t5', { revision: \"${1:commit-sha}\" });",
    ]);
    assert.ok(findings.every((f) => f.code !== 'PTM403'), 'transformers.js loads ONNX files, never pickle');
  });

  test('no PTM402 on the Inference API, which cannot pin', async () => {
    const text = "import { InferenceClient } from '@huggingface/inference';\nconst c = new InferenceClient();\nawait c.textGeneration({ model: 'org/name', inputs: '' });\n";
    const { references, findings } = await analyzeText(text, context('app.ts'));
    assert.equal(references.length, 1);
    assert.deepEqual(findings, []);
  });
});
