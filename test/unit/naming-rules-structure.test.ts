import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TensorInfo } from '../../server/hub/safetensors';
import { compareConfigAndWeights, configStructure } from '../../server/naming/config-structure';
import { deriveStructure } from '../../server/naming/structure';
import { layoutTensors, type LayoutSpec } from '../fixtures/hub/safetensors-layouts';

const tensors = (spec: LayoutSpec): TensorInfo[] => layoutTensors(spec).map(([name, shape]) => ({ name, dtype: 'F32', shape }));

describe('structure from the weight layout', () => {
  it('tells families apart by their per-layer tensor names, with layers, hidden size and vocabulary', () => {
    const cases: [LayoutSpec, string, number, number][] = [
      [{ family: 'bert', layers: 12, hidden: 768, prefix: 'bert' }, 'bert', 12, 768],
      [{ family: 'distilbert', layers: 6, hidden: 768 }, 'distilbert', 6, 768],
      [{ family: 'deberta', layers: 24, hidden: 1024, prefix: 'deberta' }, 'deberta', 24, 1024],
      [{ family: 'gpt2', layers: 12, hidden: 768, prefix: 'transformer' }, 'gpt2', 12, 768],
      [{ family: 'llama', layers: 4, hidden: 256, prefix: 'model' }, 'llama', 4, 256],
      [{ family: 'gpt-neox', layers: 6, hidden: 512, prefix: 'gpt_neox' }, 'gpt-neox', 6, 512],
      [{ family: 't5', layers: 6, hidden: 512 }, 't5', 6, 512],
      [{ family: 'vit', layers: 12, hidden: 768, prefix: 'vit' }, 'vit', 12, 768],
    ];
    for (const [spec, family, layers, hidden] of cases) {
      const s = deriveStructure(tensors(spec));
      assert.ok(s, spec.family);
      assert.deepEqual([s.family.id, s.layers, s.hidden], [family, layers, hidden], spec.family);
    }
  });

  it('sums shape products into the parameter count, and says when shapes are missing', () => {
    const all = tensors({ family: 'gpt2', layers: 2, hidden: 8, vocab: 10 });
    const s = deriveStructure(all)!;
    assert.equal(s.parameters, all.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0));
    assert.ok(s.complete);
    const partial = deriveStructure(all.slice(0, 5), all.slice(5).map((t) => t.name))!;
    assert.equal(partial.layers, 2, 'layer count from names the index gives');
    assert.equal(partial.complete, false);
  });

  it("tells BERT from RoBERTa checkpoints by prefix or by RoBERTa's 514 positions and single token type", () => {
    assert.deepEqual(deriveStructure(tensors({ family: 'bert', layers: 2, hidden: 8, prefix: 'bert' }))!.modelTypes, ['bert']);
    assert.ok(deriveStructure(tensors({ family: 'bert', layers: 2, hidden: 8, prefix: 'roberta' }))!.modelTypes.includes('xlm-roberta'));
    const bare = (positions: number, tokenTypes: number) => deriveStructure(tensors({ family: 'bert', layers: 2, hidden: 8, positions, tokenTypes }))!.modelTypes;
    assert.ok(bare(514, 1).includes('roberta') && !bare(514, 1).includes('bert'));
    assert.ok(bare(512, 2).includes('bert') && !bare(512, 2).includes('roberta'));
  });

  it('separates llama-style decoders (gated MLP) from bart-style ones (fc1) that share q_proj names', () => {
    const bartLike: TensorInfo[] = [0, 1, 2].flatMap((i) => [
      { name: `model.decoder.layers.${i}.self_attn.q_proj.weight`, dtype: 'F16', shape: [64, 64] },
      { name: `model.decoder.layers.${i}.fc1.weight`, dtype: 'F16', shape: [256, 64] },
    ]);
    assert.equal(deriveStructure(bartLike)!.family.id, 'bart');
    assert.equal(deriveStructure(tensors({ family: 'llama', layers: 3, hidden: 64, prefix: 'model' }))!.family.id, 'llama');
  });

  it('knows nothing of a layout no family matches', () => {
    assert.equal(deriveStructure([{ name: 'conv1.weight', dtype: 'F32', shape: [64, 3, 7, 7] }]), undefined);
    assert.equal(deriveStructure([]), undefined);
  });
});

describe('structure from config.json', () => {
  it('reads the many spellings of layers, hidden size and heads', () => {
    assert.deepEqual(configStructure({ model_type: 'gpt2', n_layer: 12, n_embd: 768, n_head: 12, architectures: ['GPT2LMHeadModel'] }), { modelType: 'gpt2', architectures: ['GPT2LMHeadModel'], layers: 12, hidden: 768, heads: 12, quantized: false });
    assert.deepEqual(configStructure({ model_type: 'distilbert', n_layers: 6, dim: 768, n_heads: 12, hidden_dim: 3072 }), { modelType: 'distilbert', architectures: [], layers: 6, hidden: 768, heads: 12, quantized: false });
    assert.equal(configStructure({ model_type: 'whisper', encoder_layers: 32, d_model: 1280 }).hidden, 1280);
  });

  it('survives malformed values: strings, negatives, nested parts and non-lists', () => {
    const s = configStructure({ model_type: 7, num_hidden_layers: '12', hidden_size: -1, architectures: 'BertModel', text_config: { num_hidden_layers: 40 }, quantization_config: null });
    assert.deepEqual(s, { architectures: [], quantized: false });
  });

  it('compares config.json with the weights', () => {
    const weights = deriveStructure(tensors({ family: 'bert', layers: 12, hidden: 768, prefix: 'bert' }))!;
    assert.deepEqual(compareConfigAndWeights(configStructure({ model_type: 'bert', num_hidden_layers: 12, hidden_size: 768 }), weights), { family: true, layers: true, hidden: true });
    assert.deepEqual(compareConfigAndWeights(configStructure({ model_type: 'roberta', num_hidden_layers: 24, hidden_size: 1024 }), weights), { family: false, layers: false, hidden: false });
  });
});
