// The loader registry's newer entries (server/scan/loaders-more.ts): call shapes, id prefix
// rules, pinning and pickle facts, and the calls that must never count as Hub loads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanPython } from '../../server/scan/python';
import { loaderFacts, loadsPickle, LOADERS } from '../../server/scan/loaders';
import { loadersPage } from '../../server/scan/loaders-doc';

const ids = async (text: string) => (await scanPython(text)).map((r) => `${r.loader} ${r.modelId ?? `?${r.unresolved}`}`);

describe('more loaders', () => {
  it('timm and open_clip: only hf-hub: / hf_hub: names are Hub ids, an @revision suffix is dropped', async () => {
    const text = [
      'import timm, open_clip',
      'timm.create_model("hf-hub:timm/a@v2")',
      'timm.create_model("hf_hub:timm/b")',
      'timm.create_model("resnet50")',
      'open_clip.create_model_and_transforms("hf-hub:laion/c")',
      'open_clip.create_model("hf_hub:laion/d")',
      '',
    ].join('\n');
    assert.deepEqual(await ids(text), ['timm.create_model timm/a', 'timm.create_model timm/b', 'open_clip.create_model_and_transforms laion/c']);
  });

  it('torch.hub.load names GitHub repositories: never a reference, even in a file importing Hub libraries', async () => {
    const text = 'import torch\nfrom transformers import AutoModel\nm = torch.hub.load("huggingface/pytorch-transformers", "model", "bert-base-uncased")\nd = torch.hub.load(repo_or_dir="facebookresearch/dinov2", model="dinov2_vits14")\n';
    assert.deepEqual(await ids(text), []);
  });

  it('flair: org/name is a Hub id, short names and .pt paths are not; load on other receivers is not flair', async () => {
    const text = [
      'from flair.models import SequenceTagger',
      'import torch',
      'SequenceTagger.load("flair/ner-english")',
      'SequenceTagger.load("ner")',
      'SequenceTagger.load("taggers/best-model.pt")',
      'torch.load("org/name")',
      'other.load("org/name")',
      '',
    ].join('\n');
    assert.deepEqual(await ids(text), ['flair.load flair/ner-english']);
  });

  it('keyword-only wrappers: HuggingFaceEmbeddings takes model_name=, and bare names get the sentence-transformers prefix', async () => {
    const text = 'from langchain_huggingface import HuggingFaceEmbeddings\na = HuggingFaceEmbeddings(model_name="all-mpnet-base-v2")\nb = HuggingFaceEmbeddings("org/positional-is-not-the-id")\n';
    const refs = await scanPython(text);
    assert.deepEqual(refs.map((r) => [r.modelId, r.writtenId]), [['sentence-transformers/all-mpnet-base-v2', 'all-mpnet-base-v2']]);
  });

  it('unsloth and llama-cpp: the id keyword and the revision each library takes', async () => {
    const text = [
      'from unsloth import FastLanguageModel',
      'from llama_cpp import Llama',
      'FastLanguageModel.from_pretrained(model_name="unsloth/x", revision="main")',
      'Llama.from_pretrained("org/gguf", "model.Q4_K_M.gguf")',
      '',
    ].join('\n');
    const refs = await scanPython(text);
    assert.deepEqual(
      refs.map((r) => [r.loader, r.modelId, r.canPin, r.revision?.value, r.options.filename?.value]),
      [
        ['unsloth.from_pretrained', 'unsloth/x', true, 'main', undefined],
        ['llama_cpp.from_pretrained', 'org/gguf', false, undefined, 'model.Q4_K_M.gguf'],
      ],
    );
  });

  it('mlx_lm.load and vllm.LLM are found only when imported from their library', async () => {
    const text = 'from mlx_lm import load\nfrom vllm import LLM\nload("mlx-community/m")\nLLM(model="org/v", trust_remote_code=True)\n';
    const refs = await scanPython(text);
    assert.deepEqual(refs.map((r) => [r.loader, r.modelId]), [['mlx_lm.load', 'mlx-community/m'], ['vllm.LLM', 'org/v']]);
    assert.equal(refs[1].options.trust_remote_code?.value, true);
    assert.deepEqual(await ids('def load(x): pass\nload("org/name")\nLLM(model="org/name")\n'), []);
  });

  it('pickle and weights facts: remote clients read no weights, GGUF and Keras loaders never pickle', () => {
    assert.deepEqual(loaderFacts({ loader: 'huggingface_hub.InferenceClient', library: 'huggingface_hub' }).loadsWeights, false);
    assert.equal(loadsPickle({ loader: 'huggingface_hub.HfApi.model_info', library: 'huggingface_hub' }), false);
    assert.equal(loadsPickle({ loader: 'llama_cpp.from_pretrained', library: 'llama_cpp' }), false);
    assert.equal(loadsPickle({ loader: 'keras_hub.from_preset', library: 'keras_hub' }), false);
    assert.equal(loadsPickle({ loader: 'huggingface_hub.from_pretrained_fastai', library: 'huggingface_hub' }), true);
    assert.equal(loadsPickle({ loader: 'diffusers.load_lora_weights', library: 'diffusers' }), true);
    assert.equal(loadsPickle({ loader: 'transformers.from_pretrained', library: 'transformers', receiver: 'AutoTokenizer' }), false);
  });

  it('every entry names where its call shape was checked, or is a core entry', () => {
    const core = new Set(['peft.from_pretrained', 'from_pretrained', 'transformers.pipeline', 'sentence_transformers.SentenceTransformer', 'sentence_transformers.SparseEncoder', 'sentence_transformers.CrossEncoder', 'huggingface_hub.hf_hub_download', 'huggingface_hub.snapshot_download']);
    assert.deepEqual(LOADERS.filter((l) => !core.has(l.name) && !l.source).map((l) => l.name), []);
  });

  it('docs/loaders.md is the page the registry generates (run npm run docs after changing loaders)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'loaders.md'), 'utf8');
    assert.equal(committed, loadersPage());
  });
});
