import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptySettings, mergeSettings } from '../../server/config/settings';
import type { Finding } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';
import { HubFacts } from '../../server/engine/model-facts';
import { FixtureHub, loadFixtureModels, type FixtureModel } from '../../server/hub/fixture';
import table from '../../server/onnx/data/export-support.json';
import opsets from '../../server/onnx/data/minimum-opsets.json';
import { fixtureModelsDir } from '../fixtures/hub/server';

function hub(extra: FixtureModel[] = []): HubFacts {
  const set = loadFixtureModels(fixtureModelsDir());
  for (const model of extra) set.models.set(model.id.toLowerCase(), model);
  return new HubFacts(new FixtureHub(set));
}

function model(id: string, config: Record<string, unknown>): FixtureModel {
  return { id, info: { id, sha: 'a'.repeat(40), private: false, disabled: false, gated: false, tags: [], siblings: [{ rfilename: 'model.safetensors' }], lastModified: '2026-06-01T00:00:00.000Z', downloads: 10, config } };
}

async function ptm501(code: string, facts = hub(), targetOpset?: number): Promise<Finding[]> {
  const text = `from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer\n${code}\n`;
  let settings = mergeSettings(emptySettings(), { select: ['PTM501'] });
  if (targetOpset !== undefined) settings = mergeSettings(settings, { thresholds: { ...settings.thresholds, onnxTargetOpset: targetOpset } });
  const { findings } = await analyzeText(text, { relativePath: 'app.py', settings, localCommit: () => undefined, facts });
  return findings;
}

describe('PTM501 ONNX export risk', () => {
  test('a model type without an optimum export config, with its generation head', async () => {
    const mamba = model('org/mamba-small', { model_type: 'mamba', architectures: ['MambaForCausalLM'] });
    const found = await ptm501('m = AutoModelForCausalLM.from_pretrained("org/mamba-small")', hub([mamba]));
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['PTM501', 'info']]);
    assert.match(found[0].message, /no ONNX export config for model_type 'mamba'/);
    assert.match(found[0].message, /MambaForCausalLM generates step by step/);
  });

  test('custom code counts only when trust_remote_code=True makes the library run it', async () => {
    assert.deepEqual(await ptm501('m = AutoModel.from_pretrained("tiiuae/falcon-7b")'), [], 'falcon is native and exportable; auto_map is ignored without trust_remote_code');
    const found = await ptm501('m = AutoModel.from_pretrained("tiiuae/falcon-7b", trust_remote_code=True)');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /custom modeling code .*auto_map with trust_remote_code=True/);
  });

  test('exportable architectures, tokenizers and models without metadata stay silent', async () => {
    assert.deepEqual(await ptm501('m = AutoModel.from_pretrained("google-bert/bert-base-uncased")'), []);
    assert.deepEqual(await ptm501('m = AutoModelForCausalLM.from_pretrained("openai-community/gpt2")'), []);
    const odd = model('org/odd', { model_type: 'oddformer' });
    assert.deepEqual(await ptm501('t = AutoTokenizer.from_pretrained("org/odd")', hub([odd])), []);
    assert.equal((await ptm501('m = AutoModel.from_pretrained("org/odd")', hub([odd]))).length, 1);
    assert.deepEqual(await ptm501('m = AutoModel.from_pretrained("org/odd")', undefined as unknown as HubFacts), []);
  });

  test('the model type table names its source and holds the common exportable types', () => {
    assert.match(table.source, /optimum-onnx.*model_configs\.py at commit [0-9a-f]{40}/);
    for (const type of ['bert', 'gpt2', 'llama', 'whisper', 't5', 'vit']) assert.ok(table.exportableModelTypes.includes(type), type);
    assert.ok(!table.exportableModelTypes.includes('mamba'));
  });

  test('a model type whose export needs a later opset than the project targets', async () => {
    const detr = model('org/rt-detr-small', { model_type: 'rt_detr', architectures: ['RTDetrForObjectDetection'] });
    const bert = 'm = AutoModel.from_pretrained("google-bert/bert-base-uncased")';
    assert.deepEqual(await ptm501('m = AutoModel.from_pretrained("org/rt-detr-small")', hub([detr])), [], 'the default target, 17, covers every type');
    const found = await ptm501('m = AutoModel.from_pretrained("org/rt-detr-small")', hub([detr]), 13);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /model_type 'rt_detr' at opset 16 or later.*targets opset 13/);
    assert.match((await ptm501(bert, hub(), 13))[0]?.message ?? '', /'bert' at opset 14 or later/, 'bert uses scaled_dot_product_attention: opset 14');
    assert.deepEqual(await ptm501(bert, hub(), 14), [], 'at its own minimum bert is fine');
  });

  test('the minimum opset table names its source and covers the exportable types', () => {
    assert.match(opsets.source, /optimum.*model_configs\.py at commit [0-9a-f]{40}/);
    const minimum: Record<string, number> = opsets.minimumOpset;
    assert.equal(minimum.bert, 14);
    assert.equal(minimum.rt_detr, 16);
    assert.ok(Object.values(minimum).every((v) => Number.isInteger(v) && v >= 11 && v <= 18));
    const covered = table.exportableModelTypes.filter((type) => type in minimum).length;
    assert.ok(covered / table.exportableModelTypes.length > 0.8, `${covered} of ${table.exportableModelTypes.length}`);
  });
});
