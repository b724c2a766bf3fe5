import fc from 'fast-check';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nameClaims } from '../../server/naming/claims';
import { architectureFamily, canonicalArchitecture, sameFamily } from '../../server/naming/families';
import { parseModelName } from '../../server/naming/parse-name';
import { F1_TARGETS, loadLabelledNames, scoreNames } from '../eval/names-eval';

/** "text:C text:C" of a parse, the shape the cases below are written in. */
const parse = (id: string) => parseModelName(id).components.map((c) => `${c.text}:${c.category}`).join(' ');

describe('model name parsing', () => {
  const cases: Array<[string, string]> = [
    ['google-bert/bert-base-uncased', 'bert:A base:S uncased:C'],
    ['TheBloke/Llama-2-7B-Chat-GGUF', 'Llama:A 2:V 7B:S Chat:T GGUF:W'],
    ['sentence-transformers/all-MiniLM-L6-v2', 'all:O MiniLM:A L6:N v2:V'],
    ['microsoft/deberta-v3-base', 'deberta:A v3:V base:S'],
    ['openai/whisper-large-v3', 'whisper:A large:S v3:V'],
    ['google/vit-base-patch16-224-in21k', 'vit:A base:S patch16:C 224:C in21k:D'],
    ['FacebookAI/xlm-roberta-large', 'xlm-roberta:A large:S'],
    ['mistralai/Mixtral-8x7B-Instruct-v0.1', 'Mixtral:A 8x7B:S Instruct:T v0.1:V'],
    ['google/bert_uncased_L-12_H-768_A-12', 'bert:A uncased:C L-12:N H-768:H A-12:H'],
    ['facebook/opt-125m', 'opt:A 125m:P'],
    ['Helsinki-NLP/opus-mt-en-it', 'opus:A mt:T en:L it:L'],
    ['google/gemma-2-9b-it', 'gemma:A 2:V 9b:S it:T'],
  ];
  for (const [id, expected] of cases) test(id, () => assert.equal(parse(id), expected));

  test('offsets point into the name part and text is kept as written', () => {
    const parsed = parseModelName('TheBloke/Llama-2-7B-Chat-GGUF');
    assert.equal(parsed.owner, 'TheBloke');
    assert.equal(parsed.name, 'Llama-2-7B-Chat-GGUF');
    for (const c of parsed.components) assert.equal(parsed.name.slice(c.start, c.end), c.text);
  });

  test('a name with no known architecture marks its leading own name as inferred', () => {
    const [first] = parseModelName('migtissera/Synthia-70B-v1.1').components;
    assert.deepEqual({ text: first.text, category: first.category, inferred: first.inferred }, { text: 'Synthia', category: 'A', inferred: true });
    assert.equal(nameClaims(parseModelName('migtissera/Synthia-70B-v1.1')).architecture, undefined);
  });

  test('empty and overlong names parse to no components', () => {
    assert.deepEqual(parseModelName('').components, []);
    assert.deepEqual(parseModelName('owner/').components, []);
    assert.deepEqual(parseModelName('a/' + 'x'.repeat(10_000)).components, []);
  });
});

describe('name claims and families', () => {
  test('claims in config units', () => {
    const mixtral = nameClaims(parseModelName('mistralai/Mixtral-8x7B-Instruct-v0.1'));
    assert.equal(mixtral.architecture, 'mixtral');
    assert.equal(mixtral.parameters, 56e9);
    assert.deepEqual(mixtral.tasks, ['instruct']);
    const bert = nameClaims(parseModelName('google/bert_uncased_L-12_H-768_A-12'));
    assert.deepEqual([bert.layers, bert.hidden, bert.heads], [12, 768, 12]);
    const gguf = nameClaims(parseModelName('unsloth/Qwen2.5-0.5B-bnb-4bit'));
    assert.deepEqual([gguf.architecture, gguf.parameters, gguf.precisions], ['qwen2', 0.5e9, ['bnb', '4bit']]);
    assert.equal(nameClaims(parseModelName('microsoft/deberta-v3-base')).architecture, 'deberta-v2');
    assert.equal(nameClaims(parseModelName('TheBloke/Llama-2-7B-Chat-GGUF')).formats[0], 'gguf');
  });

  test('families know derived architectures', () => {
    assert.deepEqual(architectureFamily('xlm-roberta'), ['xlm-roberta', 'roberta', 'bert']);
    assert.ok(sameFamily('distilbert', 'bert'));
    assert.ok(sameFamily('deberta-v2', 'deberta'));
    assert.ok(!sameFamily('gpt2', 'bert'));
    assert.equal(canonicalArchitecture('gpt-neo'), 'gpt_neo');
  });
});

describe('name parsing quality (test/eval/names.json)', () => {
  const labelled = loadLabelledNames();

  test('the labelled set is large enough and keeps a held-out split', () => {
    assert.ok(labelled.length >= 300, `${labelled.length} names`);
    const heldOut = labelled.filter((e) => e.split === 'heldout').length / labelled.length;
    assert.ok(heldOut > 0.25 && heldOut < 0.35, `held-out share ${heldOut}`);
  });

  for (const split of ['tune', 'heldout'] as const) {
    test(`architecture, size and task F1 stay at or above their targets on the ${split} split`, () => {
      const score = scoreNames(labelled.filter((e) => e.split === split));
      for (const [category, target] of Object.entries(F1_TARGETS)) {
        const f1 = score.byCategory[category as keyof typeof score.byCategory].f1;
        assert.ok(f1 >= target!, `${category} F1 ${f1.toFixed(3)} < ${target}`);
      }
    });
  }

  test('the scorer counts a wrong category as one miss and one false alarm', () => {
    const score = scoreNames([{ modelId: 'x/bert-base', split: 'tune', components: [{ text: 'bert', category: 'A' }, { text: 'base', category: 'T' }] }]);
    assert.deepEqual([score.byCategory.A.tp, score.byCategory.S.fp, score.byCategory.T.fn, score.exact], [1, 1, 1, 0]);
  });
});

describe('hostile names', () => {
  test('any string parses without throwing; components are in order, inside the name, and as written', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.stringMatching(/^[A-Za-z0-9._\-/]{0,120}$/), fc.string({ unit: 'binary', maxLength: 80 })), (id) => {
        const parsed = parseModelName(id);
        let end = 0;
        for (const c of parsed.components) {
          assert.ok(c.start >= end && c.end > c.start && c.end <= parsed.name.length);
          assert.equal(parsed.name.slice(c.start, c.end), c.text);
          end = c.end;
        }
        nameClaims(parsed);
      }),
      { numRuns: 2000 },
    );
  });

  test('the longest parsed name of repeated number-dot runs and phrase starts parses in bounded work', () => {
    for (const name of ['1.'.repeat(128), 'xlm-'.repeat(64), 'v1-'.repeat(85), 'a_'.repeat(128), '\u0660'.repeat(256)]) {
      const parsed = parseModelName(`o/${name}`);
      assert.ok(parsed.components.length <= name.length);
    }
  });
});
