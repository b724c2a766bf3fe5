import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FixtureHub, loadFixtureModels } from '../../server/hub/fixture';
import { fixtureModelsDir } from '../fixtures/hub/server';

const dir = fixtureModelsDir();

describe('embedded fixture models', () => {
  const hub = new FixtureHub(dir);

  it('covers the example workspace\'s models, each labelled as a fixture', () => {
    const set = loadFixtureModels(dir);
    assert.deepEqual([...set.models.values()].map((m) => m.id).sort(), [
      'Ultralytics/YOLOv8',
      'distilbert/distilbert-base-uncased-finetuned-sst-2-english',
      'google-bert/bert-base-uncased',
      'meta-llama/Llama-2-7b-hf',
      'microsoft/phi-2',
      'openai-community/gpt2',
      'openai/whisper-tiny',
      'sentence-transformers/all-MiniLM-L6-v2',
      'stabilityai/stable-diffusion-2-1',
      'textminer/roberta-large-imdb-sentiment',
      'tiiuae/falcon-7b',
    ]);
    for (const name of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const info = JSON.parse(readFileSync(join(dir, name.name, 'info.json'), 'utf8'));
      assert.match(info._fixture, /^FIXTURE/, name.name);
      assert.equal(name.name, info.id.replace('/', '--'));
    }
  });

  it('answers every fixture model with valid model info, config and card', async () => {
    for (const model of loadFixtureModels(dir).models.values()) {
      const info = await hub.modelInfo(model.id);
      assert.ok(info.ok, model.id);
      assert.equal(info.source, 'fixture');
      assert.ok(info.value.cardData?.license, `${model.id} has a license`);
      assert.ok(info.value.siblings.length > 0);
      const readme = await hub.readme(model.id);
      assert.ok(!info.value.gated ? readme.ok : !readme.ok, model.id);
    }
  });

  it('resolves legacy ids to canonical ones', async () => {
    for (const [legacy, canonical] of [
      ['bert-base-uncased', 'google-bert/bert-base-uncased'],
      ['gpt2', 'openai-community/gpt2'],
      ['distilbert-base-uncased-finetuned-sst-2-english', 'distilbert/distilbert-base-uncased-finetuned-sst-2-english'],
    ]) {
      const r = await hub.modelInfo(legacy);
      assert.ok(r.ok);
      assert.equal(r.value.canonicalId, canonical);
      assert.equal(r.value.renamed, true);
    }
  });

  it('says what the real Hub would for the tricky cases', async () => {
    const typo = await hub.modelInfo('bert-base-uncasd');
    assert.ok(!typo.ok && typo.error.kind === 'not-found');
    const gated = await hub.configJson('meta-llama/Llama-2-7b-hf');
    assert.ok(!gated.ok && gated.error.kind === 'gated');
    assert.ok((await new FixtureHub(dir, true).configJson('meta-llama/Llama-2-7b-hf')).ok);
    const diffusers = await hub.configJson('stabilityai/stable-diffusion-2-1');
    assert.ok(!diffusers.ok && diffusers.error.kind === 'entry-not-found');
    const rev = await hub.modelInfo('microsoft/phi-2', { revision: 'nope' });
    assert.ok(!rev.ok && rev.error.kind === 'revision-not-found');
  });

  it('keeps the facts the rules depend on', async () => {
    const falcon = await hub.configJson('tiiuae/falcon-7b');
    assert.ok(falcon.ok && typeof falcon.value.auto_map === 'object', 'falcon ships remote code');
    const falconInfo = await hub.modelInfo('tiiuae/falcon-7b');
    assert.ok(falconInfo.ok && falconInfo.value.tags.includes('custom_code'));
    const llama = await hub.modelInfo('meta-llama/Llama-2-7b-hf');
    assert.ok(llama.ok && llama.value.gated === 'manual' && llama.value.cardData?.license === 'llama2');
    const sd = await hub.modelInfo('stabilityai/stable-diffusion-2-1');
    assert.ok(sd.ok && sd.value.cardData?.license === 'openrail++' && sd.value.library_name === 'diffusers');
    const bert = await hub.configJson('bert-base-uncased');
    assert.ok(bert.ok && bert.value.num_hidden_layers === 12 && bert.value.hidden_size === 768);
    const st = await hub.modelInfo('sentence-transformers/all-MiniLM-L6-v2');
    assert.ok(st.ok && st.value.library_name === 'sentence-transformers' && st.value.safetensors?.total === 22713728);
  });
});
