import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptySettings, mergeSettings } from '../../server/config/settings';
import type { Finding } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';
import { HubFacts } from '../../server/engine/model-facts';
import { FixtureHub, loadFixtureModels, type FixtureModel } from '../../server/hub/fixture';
import table from '../../server/onnx/data/export-support.json';
import { fixtureModelsDir } from '../fixtures/hub/server';

function hub(extra: FixtureModel[] = []): HubFacts {
  const set = loadFixtureModels(fixtureModelsDir());
  for (const model of extra) set.models.set(model.id.toLowerCase(), model);
  return new HubFacts(new FixtureHub(set));
}

function model(id: string, config: Record<string, unknown>): FixtureModel {
  return { id, info: { id, sha: 'a'.repeat(40), private: false, disabled: false, gated: false, tags: [], siblings: [{ rfilename: 'model.safetensors' }], lastModified: '2026-06-01T00:00:00.000Z', downloads: 10, config } };
}

async function ptm501(code: string, facts = hub()): Promise<Finding[]> {
  const text = `from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer\n${code}\n`;
  const { findings } = await analyzeText(text, { relativePath: 'app.py', settings: mergeSettings(emptySettings(), { select: ['PTM501'] }), localCommit: () => undefined, facts });
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
});
