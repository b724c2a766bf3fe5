import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptySettings, mergeSettings } from '../../server/config/settings';
import type { Finding } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';
import { HubFacts } from '../../server/engine/model-facts';
import { FixtureHub, loadFixtureModels, type FixtureModel } from '../../server/hub/fixture';
import { fixtureModelsDir } from '../fixtures/hub/server';

const NOW = Date.parse('2026-11-27T00:00:00Z');
const SHA = 'a'.repeat(40);

/** The bundled fixture plus a few models made up for edge cases. */
function hub(extra: FixtureModel[] = []): HubFacts {
  const set = loadFixtureModels(fixtureModelsDir());
  for (const model of extra) set.models.set(model.id.toLowerCase(), model);
  return new HubFacts(new FixtureHub(set));
}

function model(id: string, info: Record<string, unknown>, readme?: string): FixtureModel {
  return {
    id,
    readme,
    info: { id, sha: SHA, private: false, disabled: false, gated: false, tags: [], siblings: [{ rfilename: 'README.md' }], lastModified: '2026-06-01T00:00:00.000Z', downloads: 10, ...info },
  };
}

async function analyze(code: string, facts = hub(), settings = {}): Promise<{ text: string; findings: Finding[] }> {
  const text = `from transformers import AutoModel, AutoTokenizer\nfrom huggingface_hub import hf_hub_download\n${code}\n`;
  const { findings } = await analyzeText(text, { relativePath: 'app.py', settings: mergeSettings(emptySettings(), { ignore: ['PTM402', 'PTM601', 'PTM602', 'PTM3'], ...settings }), localCommit: () => undefined, facts, now: NOW });
  return { text, findings };
}

const codes = (findings: Finding[]) => findings.map((f) => f.code);
function apply(text: string, finding: Finding, title: RegExp): string {
  const fix = finding.fixes.find((f) => title.test(f.title));
  assert.ok(fix, `no fix ${title} among ${finding.fixes.map((f) => f.title)}`);
  return [...fix.edits].sort((a, b) => b.span.start - a.span.start).reduce((out, e) => out.slice(0, e.span.start) + e.newText + out.slice(e.span.end), text);
}

describe('rules that read Hub metadata', () => {
  test('PTM101: an unknown id, with close well-known ids and a replace fix', async () => {
    const { text, findings } = await analyze('m = AutoModel.from_pretrained("bert-base-uncasd")');
    assert.deepEqual(codes(findings), ['PTM101']);
    assert.match(findings[0].message, /Did you mean 'google-bert\/bert-base-uncased'/);
    assert.match(apply(text, findings[0], /^Replace with 'google-bert\/bert-base-uncased'/), /from_pretrained\("google-bert\/bert-base-uncased"\)/);
  });

  test('PTM101 offers no edit when the id comes from a constant', async () => {
    const { findings } = await analyze('NAME = "bert-base-uncasd"\nm = AutoModel.from_pretrained(NAME)');
    assert.deepEqual(codes(findings), ['PTM101']);
    assert.deepEqual(findings[0].fixes, []);
  });

  test('PTM102: a look-alike owner of a popular model, unless it is itself well adopted', async () => {
    const squat = model('meta-llamma/Llama-2-7b-hf', { downloads: 12 });
    const { findings } = await analyze('m = AutoModel.from_pretrained("meta-llamma/Llama-2-7b-hf", use_safetensors=True)', hub([squat]));
    assert.deepEqual(codes(findings), ['PTM102']);
    assert.match(findings[0].message, /looks like the popular model 'meta-llama\/Llama-2-7b-hf'/);
    const adopted = model('meta-llamma/Llama-2-7b-hf', { downloads: 2_000_000 });
    assert.deepEqual(codes((await analyze('m = AutoModel.from_pretrained("meta-llamma/Llama-2-7b-hf")', hub([adopted]))).findings), []);
    const fork = model('someone/my-finetune', {});
    assert.deepEqual(codes((await analyze('m = AutoModel.from_pretrained("someone/my-finetune")', hub([fork]))).findings), []);
  });

  test('PTM103: gated, private and disabled models', async () => {
    const gated = await analyze('m = AutoModel.from_pretrained("meta-llama/Llama-2-7b-hf", use_safetensors=True)');
    assert.deepEqual(codes(gated.findings), ['PTM103']);
    assert.match(gated.findings[0].message, /gated/);
    const disabled = await analyze('m = AutoModel.from_pretrained("org/gone")', hub([model('org/gone', { disabled: true })]));
    assert.deepEqual(codes(disabled.findings), ['PTM103']);
    assert.match(disabled.findings[0].message, /disabled/);
  });

  test('PTM104: a legacy id, fixed to the canonical id the Hub reports', async () => {
    const { text, findings } = await analyze("tok = AutoTokenizer.from_pretrained('gpt2')");
    assert.deepEqual(codes(findings), ['PTM104']);
    assert.match(apply(text, findings[0], /canonical/), /from_pretrained\('openai-community\/gpt2'\)/);
  });

  test('PTM403: both formats without use_safetensors; tokenizers and explicit safetensors are fine', async () => {
    const { text, findings } = await analyze('m = AutoModel.from_pretrained("openai-community/gpt2")');
    assert.deepEqual(codes(findings), ['PTM403']);
    assert.match(apply(text, findings[0], /use_safetensors/), /from_pretrained\("openai-community\/gpt2", use_safetensors=True\)/);
    assert.deepEqual(codes((await analyze('m = AutoModel.from_pretrained("openai-community/gpt2", use_safetensors=True)')).findings), []);
    assert.deepEqual(codes((await analyze('t = AutoTokenizer.from_pretrained("openai-community/gpt2")')).findings), []);
  });

  test('PTM403: pickle-only repositories and pickle files downloaded by name', async () => {
    const pickled = model('org/old', { siblings: [{ rfilename: 'pytorch_model.bin' }, { rfilename: 'config.json' }] });
    const only = await analyze('m = AutoModel.from_pretrained("org/old")', hub([pickled]));
    assert.deepEqual(codes(only.findings), ['PTM403']);
    assert.match(only.findings[0].message, /only pickle weights/);
    const { text, findings } = await analyze('p = hf_hub_download("stabilityai/stable-diffusion-2-1", filename="v2-1_768-ema-pruned.ckpt")');
    assert.deepEqual(codes(findings), ['PTM403']);
    assert.equal(text.slice(findings[0].span.start, findings[0].span.end), '"v2-1_768-ema-pruned.ckpt"');
    assert.match(apply(text, findings[0], /safetensors/), /filename="v2-1_768-ema-pruned\.safetensors"/);
  });

  test('PTM601: thin cards and missing cards, by the threshold', async () => {
    const bare = model('org/bare', { siblings: [{ rfilename: 'model.safetensors' }] });
    const none = await analyze('m = AutoModel.from_pretrained("org/bare")', hub([bare]), { ignore: [], select: ['PTM601'] });
    assert.match(none.findings[0].message, /has no model card/);
    const thin = model('org/thin', { siblings: [{ rfilename: 'README.md' }] }, '# thin\n\nA model.\n');
    const found = await analyze('m = AutoModel.from_pretrained("org/thin")', hub([thin]), { ignore: [], select: ['PTM601'] });
    assert.match(found.findings[0].message, /documentation score 0\.00 < 0\.5\): missing description, .*evaluation/);
    const lenient = await analyze('m = AutoModel.from_pretrained("org/thin")', hub([thin]), { ignore: [], select: ['PTM601'], thresholds: { staleAfterDays: 1095, minCardScore: 0 } });
    assert.deepEqual(codes(lenient.findings), []);
  });

  test('PTM602: models not updated for longer than the threshold', async () => {
    const old = model('org/old', { lastModified: '2021-01-01T00:00:00.000Z', siblings: [] });
    const stale = await analyze('m = AutoModel.from_pretrained("org/old")', hub([old]), { ignore: [], select: ['PTM602'] });
    assert.match(stale.findings[0].message, /not been updated since 2021-01-01 \(5\.9 years\)/);
    const fresh = await analyze('m = AutoModel.from_pretrained("org/old")', hub([old]), { ignore: [], select: ['PTM602'], thresholds: { staleAfterDays: 3650, minCardScore: 0.5 } });
    assert.deepEqual(codes(fresh.findings), []);
  });

  test('PTM402 pins the current commit on the Hub when the local cache does not hold the model', async () => {
    const { text, findings } = await analyze('m = AutoModel.from_pretrained("microsoft/phi-2")', hub(), { ignore: [], select: ['PTM402'] });
    const sha = (await hub().get('microsoft/phi-2')).info;
    assert.ok(sha.ok);
    assert.match(findings[0].fixes[0].title, /current commit on the Hub/);
    assert.ok(apply(text, findings[0], /^Pin/).includes(`revision="${sha.value.sha}"`));
  });

  test('without Hub facts the metadata rules stay silent', async () => {
    const text = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("bert-base-uncasd")\n';
    const { findings } = await analyzeText(text, { relativePath: 'a.py', settings: emptySettings(), localCommit: () => undefined });
    assert.deepEqual(codes(findings), ['PTM402']);
  });
});
