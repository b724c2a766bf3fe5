import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HubClient } from '../../server/hub/client';
import { fixtureClient } from '../fixtures/hub/helpers';
import { FixtureHubServer } from '../fixtures/hub/server';

const ALLOWED = 'hf_fixtureAllowedToken0001';

describe('HubClient against the fixture Hub', () => {
  let hub: FixtureHubServer;
  let client: HubClient;
  before(async () => {
    hub = await FixtureHubServer.start();
    client = fixtureClient(hub);
  });
  after(async () => {
    await client.close();
    await hub.close();
  });

  it('reads model info with the fields rules need', async () => {
    const r = await client.modelInfo('microsoft/phi-2');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.source, 'network');
    const m = r.value;
    assert.equal(m.id, 'microsoft/phi-2');
    assert.equal(m.renamed, false);
    assert.equal(m.library_name, 'transformers');
    assert.equal(m.pipeline_tag, 'text-generation');
    assert.equal(m.cardData?.license, 'mit');
    assert.equal(m.safetensors?.total, 2779683840);
    assert.equal(m.gated, false);
    assert.match(m.sha ?? '', /^[0-9a-f]{40}$/);
    assert.ok(m.siblings.some((s) => s.rfilename === 'model-00001-of-00002.safetensors'));
    assert.equal(m.transformersInfo?.auto_model, 'AutoModelForCausalLM');
  });

  it('reports the canonical id of a legacy id', async () => {
    const r = await client.modelInfo('gpt2');
    assert.ok(r.ok);
    assert.equal(r.value.requestedId, 'gpt2');
    assert.equal(r.value.canonicalId, 'openai-community/gpt2');
    assert.equal(r.value.renamed, true);
    const bert = await client.modelInfo('bert-base-uncased');
    assert.ok(bert.ok);
    assert.equal(bert.value.canonicalId, 'google-bert/bert-base-uncased');
  });

  it('does not call a case-only difference a rename', async () => {
    const r = await client.modelInfo('Microsoft/Phi-2');
    assert.ok(r.ok);
    assert.equal(r.value.renamed, false);
  });

  it('reads config.json of a legacy id through the Hub redirect', async () => {
    hub.reset();
    const r = await client.configJson('bert-base-uncased');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.model_type, 'bert');
    assert.equal(r.value.num_hidden_layers, 12);
    assert.deepEqual(
      hub.requests.map((q) => `${q.status} ${q.path}`),
      ['307 /bert-base-uncased/resolve/main/config.json', '200 /google-bert/bert-base-uncased/resolve/main/config.json'],
    );
  });

  it('reads README.md as text', async () => {
    const r = await client.readme('openai/whisper-tiny');
    assert.ok(r.ok);
    assert.match(r.value, /^---\n/);
    assert.match(r.value, /license: apache-2.0/);
  });

  it('asks for a pinned revision at /revision/<rev>', async () => {
    const head = await client.modelInfo('tiiuae/falcon-7b');
    assert.ok(head.ok);
    const sha = head.value.sha!;
    hub.reset();
    const pinned = await client.modelInfo('tiiuae/falcon-7b', { revision: sha });
    assert.ok(pinned.ok);
    assert.equal(pinned.value.revision, sha);
    assert.deepEqual(hub.requests.map((q) => q.path), [`/api/models/tiiuae/falcon-7b/revision/${sha}`]);
    const cfg = await client.configJson('tiiuae/falcon-7b', { revision: sha });
    assert.ok(cfg.ok);
    assert.ok((cfg.value.auto_map as Record<string, string>).AutoModelForCausalLM);
  });

  it('says not-found for a look-alike id that does not exist', async () => {
    const r = await client.modelInfo('bert-base-uncasd');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'not-found');
    assert.equal(r.error.status, 401);
    assert.match(r.error.message, /"bert-base-uncasd" was not found on the Hub/);
    assert.match(r.error.message, /private repository, set a Hugging Face token/);
  });

  it('says revision-not-found and entry-not-found', async () => {
    const rev = await client.modelInfo('microsoft/phi-2', { revision: 'v9.9' });
    assert.ok(!rev.ok);
    assert.equal(rev.error.kind, 'revision-not-found');
    assert.match(rev.error.message, /no revision "v9.9"/);
    // A diffusers repository has model_index.json, not config.json, at its root.
    const entry = await client.configJson('stabilityai/stable-diffusion-2-1');
    assert.ok(!entry.ok);
    assert.equal(entry.error.kind, 'entry-not-found');
    assert.match(entry.error.message, /no file "config.json"/);
  });

  it('reads a gated model\'s info but not its files without access', async () => {
    const info = await client.modelInfo('meta-llama/Llama-2-7b-hf');
    assert.ok(info.ok);
    assert.equal(info.value.gated, 'manual');
    assert.equal(info.value.cardData?.license, 'llama2');
    const cfg = await client.configJson('meta-llama/Llama-2-7b-hf');
    assert.ok(!cfg.ok);
    assert.equal(cfg.error.kind, 'gated');
    assert.equal(cfg.error.status, 401);
    assert.match(cfg.error.message, /accept its conditions on .*meta-llama\/Llama-2-7b-hf, then set a Hugging Face token/);

    const wrong = fixtureClient(hub, { token: 'hf_someoneElsesToken999' });
    const denied = await wrong.configJson('meta-llama/Llama-2-7b-hf');
    assert.ok(!denied.ok);
    assert.equal(denied.error.kind, 'gated');
    assert.match(denied.error.message, /your token has no access yet/);
    await wrong.close();

    const granted = fixtureClient(hub, { token: ALLOWED });
    const ok = await granted.configJson('meta-llama/Llama-2-7b-hf');
    assert.ok(ok.ok);
    assert.equal(ok.value.num_hidden_layers, 32);
    await granted.close();
  });

  it('refuses ids that cannot be Hub ids without asking the Hub', async () => {
    hub.reset();
    for (const bad of ['', '../etc/passwd', 'a/b/c', 'has space', 'org--x/y']) {
      const r = await client.modelInfo(bad);
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'not-found');
      assert.match(r.error.message, /not a valid Hugging Face model id/);
    }
    assert.equal(hub.requests.length, 0);
  });

  it('sends a user agent and asks for JSON', async () => {
    hub.reset();
    await client.modelInfo('openai/whisper-tiny');
    assert.equal(hub.requests[0].headers['user-agent'], 'ptm-lens');
  });
});
