import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptySettings, mergeSettings } from '../../server/config/settings';
import type { Finding } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';
import { LineIndex } from '../../server/core/positions';
import { toDiagnostic } from '../../server/lsp/convert';
import { HubFacts } from '../../server/engine/model-facts';
import { FixtureHub, loadFixtureModels, type FixtureModel } from '../../server/hub/fixture';
import { canonicalForLegacyId, LEGACY_IDS } from '../../server/knowledge/legacy-ids';
import { hubErr } from '../../server/hub/types';
import type { FactsProvider } from '../../server/core/model-facts';
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

async function analyze(code: string, facts: FactsProvider = hub(), settings = {}, surface?: 'cli' | 'editor'): Promise<{ text: string; findings: Finding[] }> {
  const text = `from transformers import AutoModel, AutoTokenizer\nfrom huggingface_hub import hf_hub_download\nfrom sentence_transformers import SentenceTransformer\n${code}\n`;
  const { findings } = await analyzeText(text, { relativePath: 'app.py', settings: mergeSettings(emptySettings(), { ignore: ['PTM402', 'PTM601', 'PTM602', 'PTM3'], ...settings }), localCommit: () => undefined, facts, now: NOW, surface });
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

  test('sentence-transformers: a bare name is looked up as the library requests it', async () => {
    assert.deepEqual(codes((await analyze('m = SentenceTransformer("all-MiniLM-L6-v2")')).findings), []);
    // The same bare name through transformers is not on the Hub: the fixture does answer "not found".
    assert.deepEqual(codes((await analyze('m = AutoModel.from_pretrained("all-MiniLM-L6-v2")')).findings), ['PTM101']);
    // A plain transformer id stays legacy under sentence-transformers too.
    assert.deepEqual(codes((await analyze('m = SentenceTransformer("gpt2")')).findings), ['PTM104']);
  });

  test('the loader registry decides where use_safetensors applies', async () => {
    // gpt2 has safetensors and pickle weights: transformers honours use_safetensors, sentence-transformers takes no such keyword.
    assert.deepEqual(codes((await analyze('m = AutoModel.from_pretrained("openai-community/gpt2")')).findings), ['PTM403']);
    assert.deepEqual(codes((await analyze('m = SentenceTransformer("openai-community/gpt2")')).findings), []);
  });

  test('model-level findings: once per model per file, the other references related, fixes covering them all', async () => {
    const { text, findings } = await analyze([
      "a = AutoTokenizer.from_pretrained('gpt2')",
      "b = AutoTokenizer.from_pretrained('gpt2')",
      "c = AutoModel.from_pretrained('gpt2', use_safetensors=True)",
      "d = AutoModel.from_pretrained('gpt2')",
    ].join('\n'));
    assert.deepEqual(codes(findings), ['PTM104', 'PTM403']);
    const [legacy, pickle] = findings;
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    assert.equal(lineOf(legacy.span.start), 4);
    assert.deepEqual(legacy.related?.map((span) => lineOf(span.start)), [5, 6, 7]);
    assert.equal(lineOf(pickle.span.start), 7, 'site-level: only the call without use_safetensors');
    assert.equal(pickle.related, undefined);
    const fixed = apply(text, legacy, /canonical/);
    assert.equal(fixed.match(/'openai-community\/gpt2'/g)?.length, 4);
    const diagnostic = toDiagnostic(new LineIndex(text), legacy, 'file:///app.py');
    assert.deepEqual(diagnostic.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [['file:///app.py', 4], ['file:///app.py', 5], ['file:///app.py', 6]]);
  });

  test('a model-level finding suppressed at the first reference moves to the next one', async () => {
    const lines = ["a = AutoTokenizer.from_pretrained('gpt2')  # ptm-lens: ignore[PTM104]", "b = AutoTokenizer.from_pretrained('gpt2')", "c = AutoTokenizer.from_pretrained('gpt2')"];
    const { text, findings } = await analyze(lines.join('\n'));
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    assert.deepEqual(findings.map((f) => [f.code, lineOf(f.span.start), f.related?.map((span) => lineOf(span.start))]), [['PTM104', 5, [6]]]);
    const all = await analyze(lines.map((line) => `${line.replace(/  #.*$/, '')}  # ptm-lens: ignore[PTM104]`).join('\n'));
    assert.deepEqual(all.findings, []);
  });

  test('advice fits the surface: environment variable and login on the CLI, the command in the editor', async () => {
    const cli = await analyze('m = AutoModel.from_pretrained("bert-base-uncasd")', hub(), {}, 'cli');
    assert.match(cli.findings[0].message, /set HF_TOKEN or log in with `hf auth login`/);
    assert.doesNotMatch(cli.findings[0].message, /PTM Lens: Set Hugging Face Token/);
    const editor = await analyze('m = AutoModel.from_pretrained("bert-base-uncasd")', hub(), {}, 'editor');
    assert.match(editor.findings[0].message, /set a token with "PTM Lens: Set Hugging Face Token"/);
  });

  test('PTM103 for a Hub that refuses access: its own advice for the surface, not the client\'s error text', async () => {
    const refusing = (kind: 'gated' | 'private'): FactsProvider => ({ get: async () => ({ info: hubErr(kind, 'HUB TEXT: set a token with "PTM Lens: Set Hugging Face Token"', 401) }) });
    for (const kind of ['gated', 'private'] as const) {
      const cli = await analyze('m = AutoModel.from_pretrained("org/closed")', refusing(kind), {}, 'cli');
      assert.deepEqual(codes(cli.findings), ['PTM103']);
      assert.match(cli.findings[0].message, /HF_TOKEN or log in with `hf auth login`/);
      assert.doesNotMatch(cli.findings[0].message, /HUB TEXT|PTM Lens: Set/);
      const editor = await analyze('m = AutoModel.from_pretrained("org/closed")', refusing(kind), {}, 'editor');
      assert.match(editor.findings[0].message, /"PTM Lens: Set Hugging Face Token"/);
    }
  });
});

describe('PTM104 without the Hub', () => {
  test('knows the 68 legacy ids the Hub moved under an owner', () => {
    assert.equal(LEGACY_IDS.size, 68);
    assert.equal(canonicalForLegacyId('bert-base-uncased'), 'google-bert/bert-base-uncased');
    assert.equal(canonicalForLegacyId('GPT2'), 'openai-community/gpt2');
    assert.equal(canonicalForLegacyId('t5-small'), 'google-t5/t5-small');
    assert.equal(canonicalForLegacyId('org/gpt2'), undefined);
    for (const canonical of LEGACY_IDS.values()) assert.match(canonical, /^[\w-]+\/[\w.-]+$/);
  });

  test('flags a legacy id with no Hub facts at all, with the fix', async () => {
    const { text, findings } = await analyze("m = AutoModel.from_pretrained('xlnet-base-cased')", null as unknown as HubFacts);
    assert.deepEqual(codes(findings), ['PTM104']);
    assert.match(findings[0].message, /xlnet\/xlnet-base-cased/);
    assert.match(apply(text, findings[0], /canonical/), /from_pretrained\('xlnet\/xlnet-base-cased'\)/);
    assert.deepEqual(codes((await analyze("m = AutoModel.from_pretrained('my-own-model')", null as unknown as HubFacts)).findings), []);
  });
});
