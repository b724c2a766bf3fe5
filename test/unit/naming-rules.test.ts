import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { emptySettings } from '../../server/config/settings';
import type { FactsProvider } from '../../server/core/model-facts';
import type { Finding } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';
import { HubFacts } from '../../server/engine/model-facts';
import { FixtureHub, loadFixtureModels, type FixtureModel } from '../../server/hub/fixture';
import { safetensorsFixture } from '../../server/hub/fixture-files';
import { hoverMarkdown } from '../../server/lsp/hover';
import { fixtureClient } from '../fixtures/hub/helpers';
import { safetensorsHeaderFor, type LayoutSpec } from '../fixtures/hub/safetensors-layouts';
import { fixtureModelsDir, FixtureHubServer } from '../fixtures/hub/server';

const SHA = 'd'.repeat(40);
const NOW = Date.parse('2026-11-27T00:00:00Z');

interface Made {
  config?: Record<string, unknown>;
  layout?: LayoutSpec;
  pipeline?: string;
  files?: string[];
  hubTotal?: number;
}

/** A fixture model with the given config.json, weight layout, pipeline tag and files. */
function model(id: string, made: Made): FixtureModel {
  const files = [...(made.files ?? []), ...(made.config ? ['config.json'] : []), ...(made.layout ? ['model.safetensors'] : [])];
  return {
    id,
    info: {
      id, sha: SHA, private: false, disabled: false, gated: false, tags: [], lastModified: '2026-06-01T00:00:00.000Z',
      siblings: files.map((rfilename) => ({ rfilename })),
      ...(made.pipeline ? { pipeline_tag: made.pipeline } : {}),
      ...(made.hubTotal ? { safetensors: { parameters: { BF16: made.hubTotal }, total: made.hubTotal } } : {}),
      ...(made.config ? { config: { model_type: made.config.model_type, architectures: made.config.architectures } } : {}),
    },
    ...(made.config ? { config: made.config } : {}),
    ...(made.layout ? { files: new Map([['model.safetensors', safetensorsFixture(safetensorsHeaderFor(made.layout))]]) } : {}),
  };
}

const bertConfig = (layers = 12, hidden = 768, head = 'BertForSequenceClassification', extra: Record<string, unknown> = {}) => ({ model_type: 'bert', architectures: [head], num_hidden_layers: layers, hidden_size: hidden, num_attention_heads: hidden / 64, vocab_size: 30522, ...extra });
const bertLayout = (layers = 12, hidden = 768, dtype = 'F32'): LayoutSpec => ({ family: 'bert', layers, hidden, vocab: 300, prefix: 'bert', dtype });

const EXTRA: FixtureModel[] = [
  // Config only, no weights: one fact, so information.
  model('test/roberta-base-noweights', { config: bertConfig(), files: ['pytorch_model.bin'] }),
  model('test/bert-sentiment', { config: bertConfig(12, 768, 'BertForMaskedLM'), layout: bertLayout(), pipeline: 'fill-mask' }),
  model('test/bert-ner-tagger', { config: bertConfig(12, 768, 'BertForTokenClassification'), layout: bertLayout(), pipeline: 'token-classification' }),
  model('test/MiniLM-L6-H384-finetuned', { config: bertConfig(12, 384, 'BertModel'), layout: bertLayout(12, 384) }),
  model('test/bert-base-onnx', { config: bertConfig(), layout: bertLayout() }),
  model('test/bert-base-fp16', { config: bertConfig(12, 768, 'BertModel', { torch_dtype: 'float32' }), layout: bertLayout() }),
  model('test/gemma-7b', { config: { model_type: 'gemma', architectures: ['GemmaForCausalLM'], num_hidden_layers: 28, hidden_size: 3072 }, hubTotal: 8_537_680_896, files: ['model-00001-of-00004.safetensors'] }),
  model('test/llama-7b-tiny', { config: { model_type: 'llama', architectures: ['LlamaForCausalLM'], num_hidden_layers: 22, hidden_size: 2048 }, hubTotal: 1_100_048_384 }),
];

function facts(): HubFacts {
  const set = loadFixtureModels(fixtureModelsDir());
  for (const m of EXTRA) set.models.set(m.id.toLowerCase(), m);
  return new HubFacts(new FixtureHub(set));
}

async function findings(ids: string[], provider: FactsProvider = facts()): Promise<Finding[]> {
  const text = `from transformers import AutoModel\n${ids.map((id) => `AutoModel.from_pretrained(${JSON.stringify(id)})`).join('\n')}\n`;
  const result = await analyzeText(text, { relativePath: 'app.py', settings: emptySettings(), localCommit: () => undefined, facts: provider, now: NOW });
  return result.findings.filter((f) => /^PTM20\d$/.test(f.code));
}

describe('naming rules PTM201-205', () => {
  it('PTM201 and PTM202 warn on the mislabelled demo model, each stating both sides in one sentence', async () => {
    const found = await findings(['textminer/roberta-large-imdb-sentiment']);
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['PTM201', 'warning'], ['PTM202', 'warning']]);
    assert.equal(found[0].message, "'textminer/roberta-large-imdb-sentiment': name says roberta; config.json and the weights say bert (BertForSequenceClassification), with a bert-style weight layout.");
    assert.equal(found[1].message, "'textminer/roberta-large-imdb-sentiment': name says roberta-large (24 layers, 1024 hidden); config.json and the weights say bert with 12 layers, 768 hidden.");
  });

  it('reports once per model per file, the other loads as related locations', async () => {
    const found = await findings(['textminer/roberta-large-imdb-sentiment', 'textminer/roberta-large-imdb-sentiment']);
    assert.equal(found.filter((f) => f.code === 'PTM201').length, 1);
    assert.equal(found.find((f) => f.code === 'PTM201')!.related?.length, 1);
  });

  it('stays silent on well-named models: BERT, GPT-2, MiniLM-L6, DistilBERT', async () => {
    const found = await findings(['google-bert/bert-base-uncased', 'openai-community/gpt2', 'sentence-transformers/all-MiniLM-L6-v2', 'distilbert/distilbert-base-uncased-finetuned-sst-2-english']);
    assert.deepEqual(found, []);
  });

  it('says information, not a warning, when only config.json contradicts the name', async () => {
    const found = await findings(['test/roberta-base-noweights']);
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['PTM201', 'info']]);
    assert.match(found[0].message, /name says roberta; config\.json says bert \(BertForSequenceClassification\) \(the weights were not read\)/);
  });

  it('PTM203: a sentiment name on a masked-LM head and fill-mask tag warns; a NER name on a token head does not', async () => {
    const found = await findings(['test/bert-sentiment', 'test/bert-ner-tagger']);
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['PTM203', 'warning']]);
    assert.match(found[0].message, /name says sentiment \(sequence classification\); its head \(BertForMaskedLM\) and pipeline tag \(fill-mask\) say masked language modelling\./);
  });

  it('PTM204: layer counts in the name against config.json and the weights', async () => {
    const found = await findings(['test/MiniLM-L6-H384-finetuned']);
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['PTM204', 'warning']]);
    assert.match(found[0].message, /name says 6 layers; config\.json and the weights say 12 layers\./);
  });

  it('PTM205: a format with no file is information; a precision contradicted by weights and config warns', async () => {
    const found = await findings(['test/bert-base-onnx', 'test/bert-base-fp16']);
    assert.deepEqual(found.map((f) => [f.code, f.severity]), [['PTM205', 'info'], ['PTM205', 'warning']]);
    assert.match(found[0].message, /name says onnx; the repository has no \.onnx file \(its weights: safetensors\)/);
    assert.match(found[1].message, /name says fp16; the weights and config\.json \(torch_dtype float32\) say F32\./);
  });

  it('PTM202: gemma-7b with 8.5B parameters is no mismatch; a "7b" with 1.1B is', async () => {
    const found = await findings(['test/gemma-7b', 'test/llama-7b-tiny']);
    assert.deepEqual(found.map((f) => [f.modelId, f.code, f.severity]), [['test/llama-7b-tiny', 'PTM202', 'info']]);
    assert.match(found[0].message, /name says 7B parameters; the Hub's count says 1\.1B, 84% off\./);
  });

  it('shows a "Name vs model" row on the hover card', async () => {
    const provider = facts();
    const demo = await provider.get('textminer/roberta-large-imdb-sentiment');
    const reference = { modelId: 'textminer/roberta-large-imdb-sentiment', loader: 'transformers.from_pretrained', options: {}, canPin: true } as unknown as Parameters<typeof hoverMarkdown>[0];
    assert.match(hoverMarkdown(reference, demo, NOW), /\| Name vs model \| PTM201: name says roberta; config\.json and the weights say bert/);
    const bert = await provider.get('google-bert/bert-base-uncased');
    assert.match(hoverMarkdown({ ...reference, modelId: 'google-bert/bert-base-uncased' }, bert, NOW), /\| Name vs model \| no contradiction found \(config\.json: bert, 12 layers, 768 hidden; weights: bert-style, 12 layers, 768 hidden\) \|/);
  });
});

describe('naming rules on bad input', () => {
  let hub: FixtureHubServer;
  before(async () => {
    hub = await FixtureHubServer.start();
  });
  after(() => hub.close());

  it('an empty id and a 10,000-character id give no naming finding and no crash', async () => {
    const found = await findings(['', `org/${'x'.repeat(10_000)}`]);
    assert.deepEqual(found, []);
  });

  it('a malformed config.json gives a note; the weights and the other findings still count', async () => {
    const client = fixtureClient(hub);
    hub.addFault({ type: 'malformed', match: '/textminer/roberta-large-imdb-sentiment/resolve/main/config.json' });
    hub.addFault({ type: 'malformed', match: `/textminer/roberta-large-imdb-sentiment/resolve/${'5e1f0a9d3c7b2e4f6a8b0c1d2e3f4a5b6c7d8e9f'}/config.json` });
    const provider = new HubFacts(client);
    const text = 'from transformers import AutoModel\nAutoModel.from_pretrained("textminer/roberta-large-imdb-sentiment")\n';
    const result = await analyzeText(text, { relativePath: 'app.py', settings: emptySettings(), localCommit: () => undefined, facts: provider, now: NOW });
    assert.ok(result.notes?.some((n) => /^config\.json of 'textminer\/roberta-large-imdb-sentiment' was not used: .*not valid JSON/.test(n.message)), JSON.stringify(result.notes));
    // The Hub's condensed config still names bert: one fact agreeing with the weights.
    const codes = result.findings.map((f) => `${f.code}:${f.severity}`);
    assert.ok(codes.includes('PTM201:warning'), codes.join());
    assert.ok(codes.includes('PTM402:warning'), 'the unpinned revision is still reported');
    await client.close();
  });
});
