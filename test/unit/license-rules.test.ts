// The license rules PTM301-305 end to end below the surfaces: real Python scanned, Hub facts
// over HTTP from the fixture Hub (test/fixtures/hub/license-models), project facts as the
// engine gathers them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { emptySettings, mergeSettings } from '../../server/config/settings';
import type { ProjectFacts } from '../../server/core/project-facts';
import type { Finding } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';
import { HubFacts, MAX_BASE_DEPTH } from '../../server/engine/model-facts';
import type { HubClient } from '../../server/hub/client';
import { assessModel } from '../../server/license/model-license';
import { fixtureClient } from '../fixtures/hub/helpers';
import { FixtureHubServer, fixtureModelsDir } from '../fixtures/hub/server';

const MODELS = join(fixtureModelsDir(), '..', 'license-models');
const O = 'acme-license-test';
const MIT: ProjectFacts = { license: { license: 'MIT', spdx: 'MIT', source: 'LICENSE' } };
const settings = mergeSettings(emptySettings(), { select: ['PTM3'] });

describe('license rules through the fixture Hub', () => {
  let hub: FixtureHubServer;
  let client: HubClient;
  let facts: HubFacts;
  before(async () => {
    hub = await FixtureHubServer.start({ modelsDir: MODELS });
    client = fixtureClient(hub);
  });
  after(async () => {
    await client.close();
    await hub.close();
  });

  async function findings(modelId: string, project: ProjectFacts | undefined = MIT, fresh = true): Promise<Finding[]> {
    if (fresh || !facts) facts = new HubFacts(client);
    const text = `from transformers import AutoModel\nm = AutoModel.from_pretrained("${modelId}")\n`;
    const result = await analyzeText(text, { relativePath: 'app.py', settings, localCommit: () => undefined, facts, project });
    return result.findings;
  }
  const summary = (list: Finding[]) => list.map((f) => `${f.code} ${f.severity}`);

  test('PTM301: a GPL-3.0 model in an MIT project, with the reason and a link to the license', async () => {
    const list = await findings(`${O}/gpl-classifier`);
    assert.deepEqual(summary(list), ['PTM301 error']);
    assert.match(list[0].message, /^'acme-license-test\/gpl-classifier' is under GNU General Public License 3\.0 \(GPL-3\.0-only\), a strong copyleft license: a work that includes it must be released under GPL-3\.0, which the project's MIT license is not\. See https:\/\/spdx\.org\/licenses\/GPL-3\.0-only\.html\.$/);
    assert.deepEqual(summary(await findings(`${O}/gpl-classifier`, { license: { license: 'GPL-3.0-or-later', spdx: 'GPL-3.0-or-later', source: 'config' } })), []);
    assert.deepEqual(summary(await findings(`${O}/gpl-classifier`, {})), [], 'no project license: nothing to say');
  });

  test('PTM301 from a license: tag when the card data has none (AGPL into Apache-2.0)', async () => {
    const list = await findings(`${O}/agpl-tagger`, { license: { license: 'Apache-2.0', spdx: 'Apache-2.0', source: 'package.json' } });
    assert.deepEqual(summary(list), ['PTM301 error']);
    assert.match(list[0].message, /network copyleft/);
  });

  test('PTM302: non-commercial model; a warning for commercial use, information when the use is not known', async () => {
    assert.deepEqual(summary(await findings(`${O}/nc-sentiment`, { ...MIT, intendedUse: 'commercial' })), ['PTM302 warning']);
    assert.deepEqual(summary(await findings(`${O}/nc-sentiment`)), ['PTM302 info']);
    const research = await findings(`${O}/nc-sentiment`, { ...MIT, intendedUse: 'research' });
    assert.match(research[0].message, /intended use is research, so keep every use of it non-commercial/);
  });

  test('a severity setting wins over the lower severity a report asks for', async () => {
    const strict = mergeSettings(settings, { severity: { PTM302: 'error' } });
    const text = `from transformers import AutoModel\nm = AutoModel.from_pretrained("${O}/nc-sentiment")\n`;
    const result = await analyzeText(text, { relativePath: 'app.py', settings: strict, localCommit: () => undefined, facts: new HubFacts(client), project: MIT });
    assert.deepEqual(summary(result.findings), ['PTM302 error']);
  });

  test('PTM303: a Llama license, a license of its own linked from the card, and "other" that names a known license', async () => {
    const llama = await findings(`${O}/llama-base`);
    assert.deepEqual(summary(llama), ['PTM303 info']);
    assert.match(llama[0].message, /700 million monthly active users.*acceptable use policy.*See https:\/\/llama\.meta\.com\/llama3_1\/license\//);
    const linked = await findings(`${O}/other-with-link`);
    assert.deepEqual(summary(linked), ['PTM303 info']);
    assert.match(linked[0].message, /"acme-model-license".*See https:\/\/huggingface\.co\/acme-license-test\/other-with-link\/blob\/main\/LICENSE\.md/);
    const named = await findings(`${O}/other-named-llama`);
    assert.deepEqual(summary(named), ['PTM303 info']);
    assert.match(named[0].message, /Meta Llama 3 Community License/);
  });

  test('PTM304: no license, "other" without a readable link, and a license id with odd characters', async () => {
    const none = await findings(`${O}/no-license`);
    assert.deepEqual(summary(none), ['PTM304 warning']);
    assert.match(none[0].message, /states no license/);
    const other = await findings(`${O}/other-no-link`);
    assert.deepEqual(summary(other), ['PTM304 warning']);
    assert.match(other[0].message, /"other" \("acme-research-license"\) without a readable license link/);
    const odd = await findings(`${O}/odd-license`);
    assert.deepEqual(summary(odd), ['PTM304 warning']);
    assert.match(odd[0].message, /MIT; DROP TABLE\\u202e/, 'the odd character is shown escaped');
  });

  test('PTM305: an MIT fine-tune of a Llama model; the same license as the base is fine', async () => {
    const list = await findings(`${O}/llama-finetune-mit`);
    assert.deepEqual(summary(list), ['PTM305 warning']);
    assert.match(list[0].message, /derived from 'acme-license-test\/llama-base' under LicenseRef-Llama-3\.1-Community/);
    assert.deepEqual(summary(await findings(`${O}/llama-finetune-same`)), ['PTM303 info']);
  });

  test('PTM305 follows every parent of a merge: a no-derivatives parent, a Llama parent and a missing parent', async () => {
    hub.reset();
    const list = await findings(`${O}/merge`);
    assert.deepEqual(summary(list), ['PTM305 warning']);
    assert.match(list[0].message, /'acme-license-test\/nd-base'.*forbids modified versions/);
    assert.match(list[0].message, /'acme-license-test\/llama-base'/);
    const assessment = assessModel(await facts.get(`${O}/merge`), MIT)!;
    const missing = assessment.bases.find((b) => b.modelId === `${O}/missing-parent`)!;
    assert.match(missing.note ?? '', /not found/);
    assert.equal(hub.count(`/api/models/${O}/missing-parent`), 1);
  });

  test('a cycle in base_model is followed once per model', async () => {
    hub.reset();
    const list = await findings(`${O}/cycle-a`);
    assert.deepEqual(summary(list), []);
    const chain = (await facts.get(`${O}/cycle-a`)).baseModels!;
    assert.deepEqual(chain.map((b) => [b.modelId, b.depth, b.stop ?? 'followed']), [
      [`${O}/cycle-b`, 1, 'followed'],
      [`${O}/cycle-a`, 2, 'repeated'],
    ]);
    assert.equal(hub.count(`/api/models/${O}/cycle-a`), 1);
    assert.equal(hub.count(`/api/models/${O}/cycle-b`), 1);
  });

  test(`a chain of depth ${MAX_BASE_DEPTH} is followed to the end; deeper links are cut without a request`, async () => {
    hub.reset();
    const list = await findings(`${O}/deep-0`);
    assert.deepEqual(summary(list), ['PTM305 warning']);
    assert.match(list[0].message, /derived from 'acme-license-test\/deep-10' under CC-BY-NC-4\.0/);
    const chain = (await facts.get(`${O}/deep-0`)).baseModels!;
    assert.equal(chain.length, 11);
    assert.deepEqual(chain[9], { ...chain[9], modelId: `${O}/deep-10`, depth: 10 });
    assert.equal(chain[9].stop, undefined);
    assert.deepEqual([chain[10].modelId, chain[10].depth, chain[10].stop], [`${O}/deep-11`, 11, 'too-deep']);
    assert.equal(hub.count(`/api/models/${O}/deep-11`), 0, 'the 11th base is never requested');
    assert.equal(hub.count('/api/models/'), 11);
  });

  test('huge card metadata: a long license value and a long license list give one short finding or none', async () => {
    const info = (id: string, cardData: Record<string, unknown>) => ({ id, info: { id, sha: 'b'.repeat(40), private: false, disabled: false, gated: false, tags: [], siblings: [], cardData } });
    hub.addModel(info(`${O}/huge-license`, { license: `mit ${'x'.repeat(200_000)}` }));
    hub.addModel(info(`${O}/long-list`, { license: Array.from({ length: 5000 }, () => 'mit'), base_model: Array.from({ length: 500 }, (_, i) => `${O}/nowhere-${i}`) }));
    const huge = await findings(`${O}/huge-license`);
    assert.deepEqual(summary(huge), ['PTM304 warning']);
    assert.ok(huge[0].message.length < 600, `message of ${huge[0].message.length} characters`);
    assert.match(huge[0].message, /longer than 1000 characters/);
    hub.reset();
    assert.deepEqual(summary(await findings(`${O}/long-list`)), []);
    assert.equal(hub.count(`/api/models/${O}/nowhere-`), 50, 'at most 50 base models are looked up');
  });

  test('base models shared by several loads are looked up once', async () => {
    hub.reset();
    facts = new HubFacts(client);
    await findings(`${O}/llama-finetune-mit`, MIT, false);
    await findings(`${O}/llama-finetune-same`, MIT, false);
    assert.equal(hub.count(`/api/models/${O}/llama-base`), 1);
  });
});
