// Unit tests for the config scanner (server/scan/config.ts): model keys in YAML, JSON and TOML,
// only where the value has the Hub's owner/name shape. Every expectation is written by hand.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptySettings } from '../../server/config/settings';
import type { ModelReference } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';
import { isConfigJson } from '../../server/scan/config';
import { looksLikeHubId } from '../../server/scan/config-model-id';
import { fileKindOf } from '../../server/scan/file-kinds';

async function scan(text: string, path: string): Promise<ModelReference[]> {
  return fileKindOf(path)!.scan(text, {});
}

async function briefs(text: string, path: string): Promise<[string | null, string, string, unknown][]> {
  return (await scan(text, path)).map((r) => [r.modelId, r.loader, text.slice(r.idSpan.start, r.idSpan.end), r.revision?.value]);
}

describe('YAML configs', () => {
  test('axolotl / LLaMA-Factory style keys, nested maps and several documents', async () => {
    const text = [
      'base_model: NousResearch/Llama-2-7b-hf',
      'model_type: LlamaForCausalLM',
      'trust_remote_code: true',
      'hub_model_id: me/my-finetune',
      'datasets:',
      '  - path: mhenrichsen/alpaca_2k_test',
      'output_dir: ./outputs/lora-out',
      '---',
      'model_name_or_path: "meta-llama/Meta-Llama-3-8B-Instruct"',
      'model_revision: main',
      'student:',
      "  tokenizer_name: 'google/flan-t5-base'",
    ].join('\n');
    assert.deepEqual(await briefs(text, 'train.yaml'), [
      ['NousResearch/Llama-2-7b-hf', 'config.base_model', 'NousResearch/Llama-2-7b-hf', undefined],
      ['meta-llama/Meta-Llama-3-8B-Instruct', 'config.model_name_or_path', '"meta-llama/Meta-Llama-3-8B-Instruct"', 'main'],
      ['google/flan-t5-base', 'config.tokenizer_name', "'google/flan-t5-base'", undefined],
    ]);
    const refs = await scan(text, 'train.yaml');
    assert.equal(refs[0].options.trust_remote_code?.value, true, 'trust_remote_code beside the model key is captured');
    assert.deepEqual(refs.map((r) => r.canPin), [false, true, false], 'only a config with a revision key can pin');
    assert.ok(refs.every((r) => r.language === 'yaml'));
  });

  test('not ids: paths, URLs, bare names, files, other providers, numbers, broken YAML', async () => {
    const text = [
      'model_name_or_path: ./checkpoints/run1',
      'base_model: /models/llama',
      'model_id: gpt2',
      'model: openai/gpt-4o',
      'a: { model: anthropic/claude-3-5-sonnet }',
      'b: { model: ollama/llama3 }',
      'c: { model_id: org/weights.safetensors }',
      'd: { model_id: https://example.com/org/name }',
      'e: { model_id: 12 }',
      'f: { model_id: org/name/extra }',
      'g: { model_name_or_path: models/Llama-2-7b }',
      'h: { base_model: checkpoints/run-1 }',
    ].join('\n');
    assert.deepEqual(await scan(text, 'c.yml'), []);
    assert.deepEqual(await scan('base_model: org/name\n  bad: [indent\n', 'broken.yaml'), []);
    assert.ok(looksLikeHubId('model', 'openai/whisper-large-v3'), "OpenAI's Hub models stay ids");
    assert.ok(!looksLikeHubId('model', 'openai/gpt-4o-mini'));
    assert.ok(looksLikeHubId('model_name_or_path', 'openai/gpt-4o-mini'), 'the provider check is for the plain model key only');
  });
});

describe('JSON and TOML configs', () => {
  test('JSON values and their spans; JSON with comments and tooling files are not read', async () => {
    const text = '{\n\t"model_name_or_path": "google/flan-t5-base",\n\t"model_revision": "0123456789abcdef0123456789abcdef01234567",\n\t"nested": [{"model": "ollama/llama3"}, {"model_id": "BAAI/bge-m3"}]\n}\n';
    assert.deepEqual(await briefs(text, 'configs/run.json'), [
      ['google/flan-t5-base', 'config.model_name_or_path', '"google/flan-t5-base"', '0123456789abcdef0123456789abcdef01234567'],
      ['BAAI/bge-m3', 'config.model_id', '"BAAI/bge-m3"', undefined],
    ]);
    assert.deepEqual(await scan('// c\n{"model_id": "org/name"}', 'run.json'), []);
    assert.deepEqual(['package.json', 'tsconfig.json', 'tsconfig.build.json', '.vscode/settings.json', 'tokenizer_config.json', 'a.schema.json', 'train_args.json'].map(isConfigJson), [false, false, false, false, false, false, true]);
    assert.equal(fileKindOf('package.json'), undefined);
  });

  test('TOML keys by table, comments, literal strings; invalid TOML is not read', async () => {
    const text = ['[model]', 'model_id = "BAAI/bge-base-en-v1.5" # the encoder', "revision = 'abc1234'", '', '[judge]', "base_model = 'Qwen/Qwen2.5-7B-Instruct'", 'path = "org/not-a-key"'].join('\n');
    assert.deepEqual(await briefs(text, 'eval.toml'), [
      ['BAAI/bge-base-en-v1.5', 'config.model_id', '"BAAI/bge-base-en-v1.5"', 'abc1234'],
      ['Qwen/Qwen2.5-7B-Instruct', 'config.base_model', "'Qwen/Qwen2.5-7B-Instruct'", undefined],
    ]);
    assert.deepEqual(await scan('model_id = "org/name"\nmodel_id = "org/dup"\n', 'bad.toml'), [], 'a duplicate key makes the file invalid');
    assert.deepEqual(['ptm-lens.toml', 'Cargo.toml', 'pyproject.toml', 'eval.toml'].map((f) => fileKindOf(f)?.language), [undefined, undefined, 'toml', 'toml']);
  });
});

describe('keys seen in real repositories', () => {
  test('open_clip model configs name the text tower and its tokenizer; LLaMA-Factory names an adapter', async () => {
    const clip = '{\n  "embed_dim": 512,\n  "text_cfg": {\n    "hf_model_name": "facebook/nllb-200-distilled-600M",\n    "hf_tokenizer_name": "facebook/nllb-200-distilled-600M",\n    "hf_proj_type": "linear"\n  }\n}\n';
    assert.deepEqual(await briefs(clip, 'model_configs/nllb-clip-base.json'), [
      ['facebook/nllb-200-distilled-600M', 'config.hf_model_name', '"facebook/nllb-200-distilled-600M"', undefined],
      ['facebook/nllb-200-distilled-600M', 'config.hf_tokenizer_name', '"facebook/nllb-200-distilled-600M"', undefined],
    ]);
    const factory = ['model_name_or_path: meta-llama/Meta-Llama-3-8B-Instruct', 'adapter_name_or_path: saves/llama3-8b/lora/sft', 'template: llama3'].join('\n');
    assert.deepEqual((await briefs(factory, 'inference.yaml')).map((b) => b[0]), ['meta-llama/Meta-Llama-3-8B-Instruct'], 'a local adapter folder is not an id');
    assert.deepEqual((await briefs('adapter_name_or_path: hiyouga/Llama-2-7b-lora\n', 'merge.yaml')).map((b) => b[1]), ['config.adapter_name_or_path']);
    assert.deepEqual(await briefs('hub_model_id: me/zephyr-7b-dpo\n', 'recipe.yaml'), [], 'a push target is not a load');
  });

  test('repo_id counts only under a from_pretrained mapping (llama-cpp-python server configs)', async () => {
    const server = JSON.stringify({ model: { from_pretrained: { repo_id: 'unsloth/Qwen3-4B-GGUF', filename: 'Qwen3-4B-Q8_0.gguf' }, mtmd: { mmproj_from_pretrained: { repo_id: 'unsloth/Qwen3-4B-GGUF', filename: 'mmproj-BF16.gguf' } } } }, null, 2);
    assert.deepEqual((await briefs(server, 'configs/qwen.json')).map((b) => [b[0], b[1]]), [
      ['unsloth/Qwen3-4B-GGUF', 'config.repo_id'],
      ['unsloth/Qwen3-4B-GGUF', 'config.repo_id'],
    ]);
    assert.deepEqual(await briefs('dataset:\n  repo_id: HuggingFaceH4/ultrachat_200k\npush:\n  repo_id: me/out\n', 'train.yaml'), [], 'a dataset or a push target');
    assert.deepEqual(await briefs('repo_id: org/model\n', 'top.yaml'), [], 'no parent mapping');
    const toml = ['[model.from_pretrained]', 'repo_id = "TheBloke/Llama-2-7B-GGUF"', '', '[data]', 'repo_id = "org/dataset"'].join('\n');
    assert.deepEqual((await briefs(toml, 'server.toml')).map((b) => b[0]), ['TheBloke/Llama-2-7B-GGUF']);
  });
});

describe('rules on config references', () => {
  test('a config without a revision key gets no PTM402; with a branch it does, and the fix replaces the value', async () => {
    const settings = emptySettings();
    const bare = await analyzeText('base_model: org/name\n', { relativePath: 'a.yaml', settings, localCommit: () => undefined });
    assert.equal(bare.references.length, 1);
    assert.deepEqual(bare.findings, []);
    const text = 'model_name_or_path: org/name\nmodel_revision: main\ntrust_remote_code: true\n';
    const branch = await analyzeText(text, { relativePath: 'a.yaml', settings, localCommit: () => '0123456789abcdef0123456789abcdef01234567' });
    assert.deepEqual(branch.findings.map((f) => f.code), ['PTM402', 'PTM401']);
    const edit = branch.findings[0].fixes[0].edits[0];
    assert.equal(text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end), 'model_name_or_path: org/name\nmodel_revision: "0123456789abcdef0123456789abcdef01234567"\ntrust_remote_code: true\n');
  });
});
