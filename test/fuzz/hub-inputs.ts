// JSON for the fuzzer: Hub answers shaped like /api/models and config.json, with every field
// replaced now and then by a value of the wrong type, plus arbitrary JSON.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'hub', 'models');

/** The model info answers in the Hub fixture, as seeds that are right before they are broken. */
export function fixtureAnswers(file: 'info.json' | 'config.json'): unknown[] {
  const out: unknown[] = [];
  for (const dir of readdirSync(FIXTURES).sort()) {
    try {
      out.push(JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8')));
    } catch {
      // Not every fixture has every file.
    }
  }
  return out;
}

const anyJson = fc.jsonValue({ maxDepth: 4 });
const fieldValue = (right: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: right }, { weight: 1, arbitrary: anyJson });

const sibling = fc.record({ rfilename: fieldValue(fc.constantFrom('model.safetensors', 'pytorch_model.bin', '../x', '', 'a/b.onnx')), size: fieldValue(fc.nat()) }, { requiredKeys: [] });

const modelInfo = fc.record(
  {
    id: fieldValue(fc.constantFrom('gpt2', 'org/model', '', '..', 'a'.repeat(200))),
    sha: fieldValue(fc.constantFrom('0123456789abcdef0123456789abcdef01234567', '..', '', '../../etc')),
    lastModified: fieldValue(fc.constantFrom('2024-01-01T00:00:00.000Z', 'not a date', '')),
    createdAt: fieldValue(fc.constantFrom('2020-01-01T00:00:00.000Z', '9999-99-99')),
    downloads: fieldValue(fc.oneof(fc.nat(), fc.constant(-1), fc.double())),
    likes: fieldValue(fc.nat()),
    tags: fieldValue(fc.array(fc.constantFrom('license:mit', 'transformers', 'region:us', ''), { maxLength: 5 })),
    pipeline_tag: fieldValue(fc.constantFrom('text-generation', '')),
    library_name: fieldValue(fc.constantFrom('transformers', 'diffusers')),
    cardData: fieldValue(fc.record({ license: fieldValue(fc.constantFrom('mit', 'other', '')), license_name: fieldValue(fc.string()), base_model: fieldValue(fc.oneof(fc.string(), fc.array(fc.string()))) }, { requiredKeys: [] })),
    gated: fieldValue(fc.constantFrom(false, true, 'auto', 'manual', null)),
    private: fieldValue(fc.boolean()),
    disabled: fieldValue(fc.boolean()),
    siblings: fieldValue(fc.array(sibling, { maxLength: 5 })),
    safetensors: fieldValue(fc.record({ total: fieldValue(fc.nat()), parameters: fieldValue(fc.dictionary(fc.string(), fc.nat())) }, { requiredKeys: [] })),
    config: fieldValue(fc.record({ model_type: fieldValue(fc.string()), architectures: fieldValue(fc.array(fc.string())) }, { requiredKeys: [] })),
    transformersInfo: fieldValue(fc.record({ auto_model: fieldValue(fc.string()), processor: fieldValue(fc.string()), custom_class: fieldValue(fc.string()) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

/** A parsed Hub answer: shaped like model info, a mutated fixture, or any JSON at all. */
export function hubAnswer(seeds: unknown[]): fc.Arbitrary<unknown> {
  const mutatedSeed = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.string({ maxLength: 12 }), anyJson), { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 2 })).map(([seed, sets, drops]) => {
    const copy = JSON.parse(JSON.stringify(seed)) as Record<string, unknown>;
    const keys = Object.keys(copy);
    for (const drop of drops) if (keys.length) delete copy[keys[drop % keys.length]];
    for (const [key, v] of sets) copy[keys.length && key.length % 2 ? keys[key.length % keys.length] : key] = v;
    return copy;
  });
  // Through JSON text, as an answer arrives: "__proto__" becomes an own key.
  const polluted = fc.constant('{"__proto__": {"id": "polluted", "gated": "manual"}, "constructor": 1, "id": "gpt2", "siblings": [{"__proto__": null}]}');
  return fc.oneof(modelInfo, mutatedSeed, anyJson).map((v) => JSON.stringify(v) ?? 'null').chain((text) => fc.oneof({ weight: 20, arbitrary: fc.constant(text) }, { weight: 1, arbitrary: polluted })).map((text) => JSON.parse(text) as unknown);
}
