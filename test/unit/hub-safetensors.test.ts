import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { emptySettings, mergeSettings } from '../../server/config/settings';
import { analyzeText } from '../../server/engine/analyze';
import { HubFacts } from '../../server/engine/model-facts';
import { FixtureHub, loadFixtureModels, type FixtureModel } from '../../server/hub/fixture';
import { safetensorsFixture, type FixtureFile } from '../../server/hub/fixture-files';
import { FIRST_READ_BYTES, MAX_HEADER_BYTES } from '../../server/hub/safetensors';
import { readWeightLayout } from '../../server/hub/weight-layout';
import { fixtureClient, tempDir } from '../fixtures/hub/helpers';
import { writeLocalSnapshot } from '../fixtures/hub/local-cache-layout';
import { safetensorsHeaderFor } from '../fixtures/hub/safetensors-layouts';
import { fixtureModelsDir, FixtureHubServer } from '../fixtures/hub/server';

const SHA = 'c'.repeat(40);

/** A model whose only weight file is `file`. */
function withWeights(id: string, file: FixtureFile, name = 'model.safetensors'): FixtureModel {
  return {
    id,
    info: { id, sha: SHA, private: false, disabled: false, gated: false, tags: [], siblings: [{ rfilename: 'config.json' }, { rfilename: name }] },
    config: { model_type: 'bert', architectures: ['BertModel'], num_hidden_layers: 2, hidden_size: 64 },
    files: new Map([[name, file]]),
  };
}

/** Raw bytes of a file: an 8-byte little-endian length (any value) and what follows. */
function raw(length: bigint, rest: Buffer | string = ''): FixtureFile {
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(length);
  return { kind: 'raw', bytes: Buffer.concat([head, Buffer.from(rest)]) };
}

function header(entries: Record<string, unknown>): FixtureFile {
  const json = Buffer.from(JSON.stringify(entries));
  return raw(BigInt(json.length), json);
}

describe('safetensors headers over HTTP range requests', () => {
  let hub: FixtureHubServer;
  before(async () => {
    hub = await FixtureHubServer.start();
    hub.addModel(withWeights('test/deep', safetensorsFixture(safetensorsHeaderFor({ family: 'bert', layers: 60, hidden: 64, vocab: 100 }))));
    hub.addModel(withWeights('test/truncated', raw(5000n, '{"a":')));
    hub.addModel(withWeights('test/huge-length', raw(2n ** 40n, '{}')));
    hub.addModel(withWeights('test/lying-offsets', header({ w: { dtype: 'F32', shape: [10, 10], data_offsets: [0, 4] } })));
    hub.addModel(withWeights('test/huge-shape', header({ w: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 4] } })));
    hub.addModel(withWeights('test/not-json', raw(12n, 'not json at!')));
    hub.addModel(withWeights('test/short-file', { kind: 'raw', bytes: Buffer.from([1, 2, 3]) }));
    const many = Buffer.from(`{${Array.from({ length: 200_001 }, (_, i) => `"t${i}":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}`).join(',')}}`);
    hub.addModel(withWeights('test/many-tensors', raw(BigInt(many.length), many)));
  });
  after(() => hub.close());
  beforeEach(() => hub.reset());

  it('reads a header with one range request of the first 64 KiB, never the weights', async () => {
    const client = fixtureClient(hub);
    const result = await client.safetensorsHeader('google-bert/bert-base-uncased', 'model.safetensors');
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(result.value.tensors.some((t) => t.name === 'bert.encoder.layer.11.attention.self.query.weight' && t.shape.join() === '768,768'));
    assert.equal(hub.requests.length, 1);
    assert.equal(hub.requests[0].headers.range, `bytes=0-${FIRST_READ_BYTES - 1}`);
    assert.equal(hub.requests[0].status, 206);
    await client.close();
  });

  it('asks for the rest of a header longer than the first read, and only for it', async () => {
    const client = fixtureClient(hub);
    const result = await client.safetensorsHeader('test/deep', 'model.safetensors');
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(result.value.headerBytes > FIRST_READ_BYTES);
    assert.equal(result.value.tensors.filter((t) => t.name.endsWith('attention.self.query.weight')).length, 60);
    assert.deepEqual(hub.requests.map((r) => r.headers.range), [`bytes=0-${FIRST_READ_BYTES - 1}`, `bytes=8-${8 + result.value.headerBytes - 1}`]);
    await client.close();
  });

  it('caches headers on disk like other Hub answers', async () => {
    const dir = tempDir();
    try {
      const first = fixtureClient(hub, { cacheDir: dir.path });
      assert.ok((await first.safetensorsHeader('test/deep', 'model.safetensors')).ok);
      await first.close();
      const requests = hub.requests.length;
      const second = fixtureClient(hub, { cacheDir: dir.path });
      const again = await second.safetensorsHeader('test/deep', 'model.safetensors');
      assert.ok(again.ok && again.source === 'cache');
      assert.equal(hub.requests.length, requests, 'no request on the warm path');
      await second.close();
    } finally {
      dir.remove();
    }
  });

  it('reads a sharded checkpoint through its index: names, shapes and the exact parameter count', async () => {
    // The repository is gated: the fixture's accepted token opens it.
    const client = fixtureClient(hub, { token: 'hf_fixtureAllowedToken0001' });
    const info = await client.modelInfo('meta-llama/Llama-2-7b-hf');
    assert.ok(info.ok);
    const layout = await readWeightLayout(client, info.value);
    assert.ok(layout?.ok, JSON.stringify(layout));
    assert.equal(layout.value.source, 'sharded');
    assert.equal(layout.value.shardCount, 2);
    assert.ok(layout.value.complete);
    assert.equal(layout.value.parameters, 6_738_415_616);
    assert.equal(hub.count('/meta-llama/Llama-2-7b-hf/resolve/'), 3, 'the index and one read per shard header');
    await client.close();
  });

  it('gives a clear error, never a crash, for truncated, lying and oversized headers', async () => {
    const client = fixtureClient(hub);
    const cases: [string, RegExp][] = [
      ['test/truncated', /claims 5000 bytes but the file holds only 5 .*truncated or lying/],
      ['test/huge-length', /claims 1099511627776 bytes, more than the 100 MB accepted/],
      ['test/lying-offsets', /data_offsets 0-4 that do not match its shape \(lying header\)/],
      ['test/huge-shape', /claims 1099511627776 x 1099511627776 elements/],
      ['test/not-json', /not valid JSON/],
      ['test/short-file', /truncated \(3 bytes/],
    ];
    for (const [id, message] of cases) {
      const result = await client.safetensorsHeader(id, 'model.safetensors');
      assert.ok(!result.ok, id);
      assert.equal(result.error.kind, 'malformed', id);
      assert.match(result.error.message, message, id);
    }
    await client.close();
  });

  it('refuses a header listing more than 200,000 tensors', async () => {
    const client = fixtureClient(hub);
    const result = await client.safetensorsHeader('test/many-tensors', 'model.safetensors');
    assert.ok(!result.ok);
    assert.match(result.error.message, /200001 tensors, more than the 200000 accepted/);
    await client.close();
  });

  it('refuses an index that points outside the repository folder, and reads no shard', async () => {
    const index = (weightMap: Record<string, string>): FixtureModel => ({
      id: 'test/bad-index',
      info: { id: 'test/bad-index', sha: SHA, private: false, disabled: false, gated: false, tags: [], siblings: [{ rfilename: 'model.safetensors.index.json' }] },
      files: new Map([['model.safetensors.index.json', { kind: 'raw', bytes: Buffer.from(JSON.stringify({ weight_map: weightMap })) }]]),
    });
    hub.addModel(index({ 'a.weight': '../../secrets.safetensors' }));
    const client = fixtureClient(hub);
    const info = await client.modelInfo('test/bad-index');
    assert.ok(info.ok);
    const layout = await readWeightLayout(client, info.value);
    assert.ok(layout && !layout.ok);
    assert.match(layout.error.message, /maps a tensor to "\.\.\/\.\.\/secrets\.safetensors", not a \.safetensors file beside it/);
    assert.equal(hub.requests.filter((r) => r.path.includes('secrets')).length, 0);
    await client.close();
  });

  it('stops a server that ignores Range at the bytes asked for', async () => {
    const client = fixtureClient(hub);
    // The fixture's whole-file answer streams the weights; the client must cut it off.
    const big = safetensorsFixture(safetensorsHeaderFor({ family: 'bert', layers: 2, hidden: 64, vocab: 100 }));
    hub.addModel(withWeights('test/no-range', big));
    hub.addFault({ type: 'huge', match: '/test/no-range/resolve/', bytes: 8 * 1024 * 1024 });
    const result = await client.safetensorsHeader('test/no-range', 'model.safetensors');
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'too-large');
    await client.close();
  });

  it('goes through the same retries as other lookups', async () => {
    const client = fixtureClient(hub, { maxRetries: 2 });
    hub.addFault({ type: 'status', status: 503, match: '/google-bert/bert-base-uncased/resolve/', times: 2 });
    const result = await client.safetensorsHeader('google-bert/bert-base-uncased', 'model.safetensors');
    assert.ok(result.ok);
    assert.equal(hub.count('/google-bert/bert-base-uncased/resolve/'), 3);
    await client.close();
  });

  it('serves Range requests as the Hub does: 206 with Content-Range', async () => {
    const res = await fetch(`${hub.url}/google-bert/bert-base-uncased/resolve/main/model.safetensors`, { headers: { range: 'bytes=0-7' } });
    assert.equal(res.status, 206);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.length, 8);
    const size = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]);
    assert.ok(size > 400_000_000, 'the full size of a BERT-base checkpoint is announced');
    assert.equal(res.headers.get('content-range'), `bytes 0-7/${size}`);
  });
});

describe('safetensors headers from the local Hugging Face cache (offline)', () => {
  it('reads the header of a cached file without the network', async () => {
    const dir = tempDir();
    try {
      const file = safetensorsFixture(safetensorsHeaderFor({ family: 'gpt2', layers: 3, hidden: 32, vocab: 50 }));
      assert.equal(file.kind, 'safetensors');
      const head = Buffer.alloc(8);
      head.writeBigUInt64LE(BigInt(file.header.length));
      writeLocalSnapshot(dir.path, 'org/tiny-gpt2', SHA, { 'model.safetensors': Buffer.concat([head, file.header, Buffer.alloc(64)]) });
      const client = fixtureClient(await FixtureHubServer.start({ modelsDir: false }), { offline: true, useLocalHfCache: true, env: { HF_HUB_CACHE: dir.path } });
      const result = await client.safetensorsHeader('org/tiny-gpt2', 'model.safetensors');
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.source, 'local-hf-cache');
      assert.equal(result.value.tensors.filter((t) => t.name.endsWith('attn.c_attn.weight')).length, 3);
      await client.close();
    } finally {
      dir.remove();
    }
  });
});

describe('weight layout in the model facts', () => {
  const set = loadFixtureModels(fixtureModelsDir());
  set.models.set('test/lying', withWeights('test/lying', raw(2n ** 40n)));
  const facts = new HubFacts(new FixtureHub(set));

  it('gathers config.json and the layout with the model info', async () => {
    const bert = await facts.get('google-bert/bert-base-uncased');
    assert.ok(bert.config?.ok && bert.config.value.model_type === 'bert');
    assert.ok(bert.layout?.ok && bert.layout.value.complete);
    assert.equal(bert.layout.value.tensors.filter((t) => /encoder\.layer\.\d+\.output\.dense\.weight$/.test(t.name)).length, 12);
  });

  it('says why a lying header was not read, and loses no other finding', async () => {
    const text = 'from transformers import AutoModel\nAutoModel.from_pretrained("test/lying")\n';
    const result = await analyzeText(text, { relativePath: 'app.py', settings: mergeSettings(emptySettings(), {}), localCommit: () => undefined, facts });
    assert.equal(result.notes?.length, 1);
    assert.match(result.notes![0].message, /^the weight layout of 'test\/lying' was not read: .*more than the 100 MB accepted/);
    assert.ok(result.findings.some((f) => f.code === 'PTM402'), 'the unpinned revision is still reported');
    assert.ok(MAX_HEADER_BYTES < 2 ** 40);
  });
});
