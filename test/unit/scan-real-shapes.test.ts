// Load shapes found while labelling real repositories (docs/detection.md): command-line
// fallbacks, sentence-transformers modules, TRL trainers and distilabel LLMs. Each is scanned
// through scanWorkspace so the lexical prefilter that picks the files to parse is tested too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emptySettings } from '../../server/config/settings';
import { scanWorkspace } from '../../server/engine/workspace';
import { tempWorkspace } from '../support/workspace';

/** "line loader id-or-?unresolved" for every reference in the one file scanned. */
async function scanned(text: string, file = 'train.py'): Promise<string[]> {
  const workspace = tempWorkspace({ [file]: text });
  try {
    const results = await scanWorkspace(workspace.root, { settings: emptySettings(), localCommit: () => undefined });
    return results.flatMap((result) =>
      result.references.map((r) => `${text.slice(0, r.idSpan.start).split('\n').length} ${r.loader} ${r.modelId ?? `?${r.unresolved}`}`),
    );
  } finally {
    workspace.dispose();
  }
}

describe('command-line fallbacks', () => {
  it('sys.argv[1] if ... else "id" resolves to the written default, either way round and through argv imported from sys', async () => {
    const text = [
      'import sys',
      'from sys import argv',
      'from sentence_transformers import SentenceTransformer',
      'name = sys.argv[1] if len(sys.argv) > 1 else "all-MiniLM-L6-v2"',
      'model = SentenceTransformer(name)',
      'other = "org/second" if len(argv) < 2 else argv[1]',
      'SentenceTransformer(other)',
      '',
    ].join('\n');
    assert.deepEqual(await scanned(text), [
      '5 sentence_transformers.SentenceTransformer sentence-transformers/all-MiniLM-L6-v2',
      '7 sentence_transformers.SentenceTransformer org/second',
    ]);
  });

  it('other conditionals stay unresolved: a local argv, two written ids, a non-argv subscript', async () => {
    const text = [
      'import sys',
      'from transformers import AutoModel',
      'argv = ["x", "y"]',
      'AutoModel.from_pretrained(argv[1] if len(argv) > 1 else "org/a")',
      'AutoModel.from_pretrained("org/b" if sys.platform == "linux" else "org/c")',
      'AutoModel.from_pretrained(opts[1] if opts else "org/d")',
      '',
    ].join('\n');
    const refs = await scanned(text);
    assert.equal(refs.length, 3);
    assert.ok(refs.every((r) => r.includes(' ?')), refs.join('\n'));
  });
});

describe('loaders seen in real repositories', () => {
  it('sentence-transformers models.Transformer, imported either way, takes the id as written', async () => {
    const text = [
      'from sentence_transformers import SentenceTransformer, models',
      'from sentence_transformers.models import Transformer',
      'word = models.Transformer("bert-base-uncased", max_seq_length=256)',
      'other = Transformer(model_name_or_path="FacebookAI/roberta-base")',
      'model = SentenceTransformer(modules=[word])',
      '',
    ].join('\n');
    assert.deepEqual(await scanned(text), [
      '3 sentence_transformers.models.Transformer bert-base-uncased',
      '4 sentence_transformers.models.Transformer FacebookAI/roberta-base',
    ]);
  });

  it('TRL trainers load a string model; a model object is no load', async () => {
    const text = [
      'import argparse',
      'from transformers import AutoModelForCausalLM',
      'from trl import GRPOTrainer, SFTTrainer',
      'parser = argparse.ArgumentParser()',
      'parser.add_argument("--model", default="Qwen/Qwen3-1.7B")',
      'args = parser.parse_args()',
      'trainer = GRPOTrainer(model=args.model, reward_funcs=[])',
      'SFTTrainer("Qwen/Qwen2.5-0.5B")',
      'base = AutoModelForCausalLM.from_pretrained("gpt2")',
      'SFTTrainer(model=base)',
      '',
    ].join('\n');
    assert.deepEqual(await scanned(text), ['7 trl.GRPOTrainer Qwen/Qwen3-1.7B', '8 trl.SFTTrainer Qwen/Qwen2.5-0.5B', '9 transformers.from_pretrained gpt2']);
  });

  it('distilabel LLMs: TransformersLLM(model=) and InferenceEndpointsLLM(model_id=)', async () => {
    const text = [
      'from distilabel.models import InferenceEndpointsLLM',
      'from distilabel.llms import TransformersLLM',
      'llm = TransformersLLM(model="HuggingFaceTB/SmolLM2-1.7B-Instruct")',
      'judge = InferenceEndpointsLLM(model_id="Qwen/Qwen2.5-7B-Instruct", tokenizer_id="Qwen/Qwen2.5-7B-Instruct")',
      '',
    ].join('\n');
    assert.deepEqual(await scanned(text), ['3 distilabel.TransformersLLM HuggingFaceTB/SmolLM2-1.7B-Instruct', '4 distilabel.InferenceEndpointsLLM Qwen/Qwen2.5-7B-Instruct']);
  });

  it('a folder a download fills (local_dir) is local below it; the download of the same name is still a load', async () => {
    const text = [
      'from huggingface_hub import snapshot_download',
      'from unsloth import FastModel',
      'snapshot_download("unsloth/Spark-TTS-0.5B", local_dir = "Spark-TTS-0.5B")',
      'model, tokenizer = FastModel.from_pretrained(model_name = f"Spark-TTS-0.5B/LLM")',
      'snapshot_download(repo_id="org/name", local_dir="org/name/")',
      'FastModel.from_pretrained(model_name="org/other")',
      '',
    ].join('\n');
    assert.deepEqual(await scanned(text), [
      '3 huggingface_hub.snapshot_download unsloth/Spark-TTS-0.5B',
      '5 huggingface_hub.snapshot_download org/name',
      '6 unsloth.from_pretrained org/other',
    ]);
  });
});
