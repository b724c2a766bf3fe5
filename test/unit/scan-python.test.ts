// Unit tests for the Python scanner (server/scan/python.ts): which calls load a
// Hugging Face model, what id they load, and where the id sits in the text.
// Every expectation is written by hand from the snippet above it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanPython } from '../../server/scan/python';
import { PythonImports } from '../../server/scan/python-imports';
import { lexPython } from '../../server/scan/lexical-python';
import { createParser } from '../../server/scan/tree-sitter';
import { hubPart, loaderFacts, loaderOf, LOADERS, requestedId, type LoaderSpec } from '../../server/scan/loaders';
import type { ModelReference } from '../../server/core/types';

const TF = 'transformers.from_pretrained';
const DF = 'diffusers.from_pretrained';
const PEFT = 'peft.from_pretrained';
const PIPE = 'transformers.pipeline';
const ST = 'sentence_transformers.SentenceTransformer';
const CE = 'sentence_transformers.CrossEncoder';
const HF_DL = 'huggingface_hub.hf_hub_download';
const SNAP = 'huggingface_hub.snapshot_download';

type Revision = string | number | boolean | null | { unresolved: string };

/** What a test compares: the reference reduced to the facts written by hand. */
interface Brief {
  modelId: string | null;
  unresolved?: string;
  loader: string;
  /** 1-based line of idSpan.start. */
  line: number;
  revision?: Revision;
}

type ScanOptions = { isLocalPath?: (p: string) => boolean };

/** Dedents a snippet written inside a template literal; backslashes stay as written. */
function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  let raw = strings.raw[0];
  values.forEach((value, i) => {
    raw += String(value) + strings.raw[i + 1];
  });
  const lines = raw.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const indent = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(indent)).join('\n');
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function brief(text: string, ref: ModelReference): Brief {
  const b: Brief = { modelId: ref.modelId, loader: ref.loader, line: lineOf(text, ref.idSpan.start) };
  if (ref.modelId === null) b.unresolved = ref.unresolved;
  if (ref.revision) {
    b.revision = ref.revision.resolved ? (ref.revision.value ?? null) : { unresolved: ref.revision.text };
  }
  return b;
}

/** Shape checks that hold for every reference, whatever the snippet. */
function checkInvariants(text: string, ref: ModelReference): void {
  assert.equal(ref.language, 'python');
  assert.ok(ref.idSpan.start >= 0 && ref.idSpan.start < ref.idSpan.end && ref.idSpan.end <= text.length, 'idSpan inside the text');
  assert.ok(ref.callSpan.start <= ref.idSpan.start && ref.idSpan.end <= ref.callSpan.end, 'idSpan inside callSpan');
  assert.ok(ref.callSpan.end <= text.length, 'callSpan inside the text');
  if (ref.modelId === null) assert.equal(typeof ref.unresolved, 'string', 'unresolved text when modelId is null');
}

async function scan(text: string, options?: ScanOptions): Promise<ModelReference[]> {
  const refs = await scanPython(text, options);
  for (const ref of refs) checkInvariants(text, ref);
  const sites = refs.map((ref) => `${ref.loader}@${ref.idSpan.start}`);
  assert.equal(new Set(sites).size, sites.length, `each load reported once: ${sites.join(', ')}`);
  return [...refs].sort((a, b) => a.idSpan.start - b.idSpan.start);
}

/** Scans and compares with the hand-written expectations (sorted by position). */
async function expectRefs(text: string, expected: Brief[], options?: ScanOptions): Promise<ModelReference[]> {
  const refs = await scan(text, options);
  assert.deepEqual(
    refs.map((ref) => brief(text, ref)),
    expected,
  );
  return refs;
}

function r(loader: string, modelId: string, line: number, revision?: Revision): Brief {
  const b: Brief = { modelId, loader, line };
  if (revision !== undefined) b.revision = revision;
  return b;
}

function u(loader: string, unresolved: string, line: number): Brief {
  return { modelId: null, unresolved, loader, line };
}

function idText(text: string, ref: ModelReference): string {
  return text.slice(ref.idSpan.start, ref.idSpan.end);
}

describe('scanPython: loaders', () => {
  it('finds AutoTokenizer and AutoModel imported from transformers', async () => {
    const text = py`
      import torch
      from transformers import AutoModel, AutoTokenizer

      tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
      model = AutoModel.from_pretrained("bert-base-uncased")
      inputs = tokenizer("Hello world", return_tensors="pt")
      with torch.no_grad():
          outputs = model(**inputs)
    `;
    const refs = await expectRefs(text, [r(TF, 'bert-base-uncased', 4), r(TF, 'bert-base-uncased', 5)]);
    assert.equal(idText(text, refs[1]), '"bert-base-uncased"');
    assert.equal(refs[1].library, 'transformers');
    assert.equal(refs[1].canPin, true);
  });

  it('finds transformers.X.from_pretrained after import transformers', async () => {
    const text = py`
      import transformers

      config = transformers.AutoConfig.from_pretrained("gpt2")
      model = transformers.AutoModelForCausalLM.from_pretrained("gpt2-medium", config=config)
    `;
    await expectRefs(text, [r(TF, 'gpt2', 3), r(TF, 'gpt2-medium', 4)]);
  });

  it('reads parenthesized and submodule imports', async () => {
    const text = py`
      from transformers import (
          AutoModelForSequenceClassification,
          AutoTokenizer,
      )
      from transformers.models.bert import BertForMaskedLM

      clf = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)
      mlm = BertForMaskedLM.from_pretrained("bert-large-cased")
    `;
    const refs = await expectRefs(text, [r(TF, 'distilbert-base-uncased', 7), r(TF, 'bert-large-cased', 8)]);
    assert.equal(refs[1].library, 'transformers');
  });

  it('accepts the id as the pretrained_model_name_or_path keyword', async () => {
    const text = py`
      from transformers import AutoModel

      model = AutoModel.from_pretrained(output_hidden_states=True, pretrained_model_name_or_path="bert-base-cased")
    `;
    const refs = await expectRefs(text, [r(TF, 'bert-base-cased', 3)]);
    assert.equal(idText(text, refs[0]), '"bert-base-cased"');
  });

  it('finds diffusers pipelines and components, but not from_config', async () => {
    const text = py`
      import torch
      from diffusers import DPMSolverMultistepScheduler, StableDiffusionPipeline, UNet2DConditionModel

      unet = UNet2DConditionModel.from_pretrained(
          "stabilityai/stable-diffusion-2-1", subfolder="unet", torch_dtype=torch.float16
      )
      pipe = StableDiffusionPipeline.from_pretrained("runwayml/stable-diffusion-v1-5", unet=unet, torch_dtype=torch.float16)
      pipe.scheduler = DPMSolverMultistepScheduler.from_config(pipe.scheduler.config)
      pipe = pipe.to("cuda")
      image = pipe("an astronaut riding a horse on mars").images[0]
    `;
    const refs = await expectRefs(text, [
      r(DF, 'stabilityai/stable-diffusion-2-1', 5),
      r(DF, 'runwayml/stable-diffusion-v1-5', 7),
    ]);
    assert.equal(refs[0].library, 'diffusers');
    assert.equal(refs[0].options.subfolder?.value, 'unet');
    assert.equal(refs[0].options.subfolder?.resolved, true);
  });

  it('finds diffusers.DiffusionPipeline and ignores a local variable named pipeline', async () => {
    const text = py`
      import diffusers

      pipeline = diffusers.DiffusionPipeline.from_pretrained("stabilityai/stable-diffusion-xl-base-1.0")
      image = pipeline("a photo of a cat", num_inference_steps=30).images[0]
    `;
    await expectRefs(text, [r(DF, 'stabilityai/stable-diffusion-xl-base-1.0', 3)]);
  });

  it('other Hub libraries name the loader after their top-level module', async () => {
    const text = py`
      from optimum.onnxruntime import ORTModelForSequenceClassification
      from setfit import SetFitModel

      setfit_model = SetFitModel.from_pretrained("sentence-transformers/paraphrase-mpnet-base-v2")
      ort_model = ORTModelForSequenceClassification.from_pretrained("distilbert-base-uncased-finetuned-sst-2-english", export=True)
    `;
    const refs = await expectRefs(text, [
      r('setfit.from_pretrained', 'sentence-transformers/paraphrase-mpnet-base-v2', 4),
      r('optimum.from_pretrained', 'distilbert-base-uncased-finetuned-sst-2-english', 5),
    ]);
    assert.equal(refs[0].library, 'setfit');
    assert.equal(refs[1].library, 'optimum');
  });

  it('peft: the adapter id is the second positional argument', async () => {
    const text = py`
      from transformers import AutoModelForCausalLM, AutoTokenizer
      from peft import PeftModel

      base_model = AutoModelForCausalLM.from_pretrained("huggyllama/llama-7b", load_in_8bit=True, device_map="auto")
      model = PeftModel.from_pretrained(base_model, "tloen/alpaca-lora-7b")
      tokenizer = AutoTokenizer.from_pretrained("huggyllama/llama-7b")
    `;
    const refs = await expectRefs(text, [
      r(TF, 'huggyllama/llama-7b', 4),
      r(PEFT, 'tloen/alpaca-lora-7b', 5),
      r(TF, 'huggyllama/llama-7b', 6),
    ]);
    assert.equal(idText(text, refs[1]), '"tloen/alpaca-lora-7b"');
    assert.equal(refs[1].library, 'peft');
  });

  it('peft: model_id keyword with a nested base-model load', async () => {
    const text = py`
      from peft import PeftModel
      from transformers import AutoModelForSeq2SeqLM

      model = PeftModel.from_pretrained(
          AutoModelForSeq2SeqLM.from_pretrained("google/flan-t5-large"),
          model_id="philschmid/flan-t5-large-lora",
      )
    `;
    const refs = await expectRefs(text, [
      r(TF, 'google/flan-t5-large', 5),
      r(PEFT, 'philschmid/flan-t5-large-lora', 6),
    ]);
    assert.equal(idText(text, refs[1]), '"philschmid/flan-t5-large-lora"');
  });

  // Beyond the brief's list, from peft's real API: AutoPeftModel* classes take the
  // adapter id first (there is no base-model argument).
  it('peft: AutoPeftModelForCausalLM takes the adapter id first', async () => {
    const text = py`
      from peft import AutoPeftModelForCausalLM

      model = AutoPeftModelForCausalLM.from_pretrained("ybelkada/opt-350m-lora", device_map="auto")
    `;
    await expectRefs(text, [r(PEFT, 'ybelkada/opt-350m-lora', 3)]);
  });
});

describe('scanPython: pipeline', () => {
  it('task with a model keyword', async () => {
    const text = py`
      from transformers import pipeline

      classifier = pipeline("sentiment-analysis", model="distilbert-base-uncased-finetuned-sst-2-english")
      print(classifier("We are very happy to show you the Transformers library."))
    `;
    const refs = await expectRefs(text, [r(PIPE, 'distilbert-base-uncased-finetuned-sst-2-english', 3)]);
    assert.equal(idText(text, refs[0]), '"distilbert-base-uncased-finetuned-sst-2-english"');
    assert.equal(refs[0].library, 'transformers');
  });

  it('positional model after the task', async () => {
    const text = py`
      from transformers import pipeline

      summarizer = pipeline("summarization", "facebook/bart-large-cnn", device=0)
    `;
    await expectRefs(text, [r(PIPE, 'facebook/bart-large-cnn', 3)]);
  });

  it('model keyword alone, and task keyword', async () => {
    const text = py`
      from transformers import pipeline

      asr = pipeline(model="openai/whisper-small")
      ner = pipeline(task="ner", model="dslim/bert-base-NER", aggregation_strategy="simple")
    `;
    await expectRefs(text, [r(PIPE, 'openai/whisper-small', 3), r(PIPE, 'dslim/bert-base-NER', 4)]);
  });

  it('no model argument means no reference', async () => {
    const text = py`
      from transformers import pipeline

      nlp = pipeline("sentiment-analysis")
      qa = pipeline(task="question-answering")
    `;
    await expectRefs(text, []);
  });

  it('transformers.pipeline and an aliased pipeline', async () => {
    const text = py`
      import transformers
      from transformers import pipeline as hf_pipeline

      gen = transformers.pipeline("text-generation", model="gpt2")
      fill = hf_pipeline("fill-mask", model="roberta-base")
    `;
    await expectRefs(text, [r(PIPE, 'gpt2', 4), r(PIPE, 'roberta-base', 5)]);
  });

  it('a pipeline given a loaded model object does not invent an id', async () => {
    const text = py`
      from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

      model = AutoModelForCausalLM.from_pretrained("microsoft/phi-2")
      tokenizer = AutoTokenizer.from_pretrained("microsoft/phi-2")
      generator = pipeline("text-generation", model=model, tokenizer=tokenizer)
      print(generator("def fibonacci(n):", max_new_tokens=64)[0]["generated_text"])
    `;
    const refs = await scan(text);
    assert.deepEqual(
      refs.filter((ref) => ref.loader === TF).map((ref) => brief(text, ref)),
      [r(TF, 'microsoft/phi-2', 3), r(TF, 'microsoft/phi-2', 4)],
    );
    // The pipeline downloads nothing itself: the object was loaded by the calls above.
    assert.deepEqual(refs.filter((x) => x.loader === PIPE), []);
  });
});

describe('scanPython: sentence-transformers', () => {
  it('SentenceTransformer and CrossEncoder with positional ids', async () => {
    const text = py`
      from sentence_transformers import CrossEncoder, SentenceTransformer

      embedder = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2", device="cpu")
      reranker = CrossEncoder("cross-encoder/ms-marco-MiniLM-L-6-v2", max_length=512)
      embeddings = embedder.encode(["first sentence", "second sentence"], normalize_embeddings=True)
    `;
    const refs = await expectRefs(text, [
      r(ST, 'sentence-transformers/all-MiniLM-L6-v2', 3),
      r(CE, 'cross-encoder/ms-marco-MiniLM-L-6-v2', 4),
    ]);
    assert.equal(refs[0].library, 'sentence_transformers');
  });

  it('aliases, submodule imports and keyword ids', async () => {
    const text = py`
      from sentence_transformers import SentenceTransformer as ST
      from sentence_transformers.cross_encoder import CrossEncoder

      model = ST(model_name_or_path="BAAI/bge-base-en-v1.5")
      ce = CrossEncoder(model_name="BAAI/bge-reranker-base")
    `;
    const refs = await expectRefs(text, [r(ST, 'BAAI/bge-base-en-v1.5', 4), r(CE, 'BAAI/bge-reranker-base', 5)]);
    assert.equal(idText(text, refs[0]), '"BAAI/bge-base-en-v1.5"');
  });
});

describe('scanPython: ids the library rewrites (sentence-transformers)', () => {
  const SPARSE = 'sentence_transformers.SparseEncoder';

  it('SentenceTransformer and SparseEncoder request bare names under sentence-transformers/; the range stays on the literal', async () => {
    const text = py`
      from sentence_transformers import SentenceTransformer, SparseEncoder

      MODEL = "paraphrase-MiniLM-L6-v2"
      a = SentenceTransformer("all-MiniLM-L6-v2")
      b = SentenceTransformer(MODEL)
      c = SparseEncoder("splade-cocondenser-ensembledistil")
      d = SentenceTransformer("BAAI/bge-small-en-v1.5")
    `;
    const refs = await expectRefs(text, [
      r(ST, 'sentence-transformers/all-MiniLM-L6-v2', 4),
      r(ST, 'sentence-transformers/paraphrase-MiniLM-L6-v2', 5),
      r(SPARSE, 'sentence-transformers/splade-cocondenser-ensembledistil', 6),
      r(ST, 'BAAI/bge-small-en-v1.5', 7),
    ]);
    assert.deepEqual(refs.map((ref) => ref.writtenId), ['all-MiniLM-L6-v2', 'paraphrase-MiniLM-L6-v2', 'splade-cocondenser-ensembledistil', undefined]);
    assert.equal(idText(text, refs[0]), '"all-MiniLM-L6-v2"');
    assert.equal(refs[1].idSource, 'constant MODEL');
  });

  it('the library\'s plain transformer ids (compared lower-cased) stay as written', async () => {
    const text = py`
      from sentence_transformers import SentenceTransformer

      a = SentenceTransformer("bert-base-uncased")
      b = SentenceTransformer("Roberta-Base")
      c = SentenceTransformer("xlm-roberta-large")
    `;
    const refs = await expectRefs(text, [r(ST, 'bert-base-uncased', 3), r(ST, 'Roberta-Base', 4), r(ST, 'xlm-roberta-large', 5)]);
    assert.ok(refs.every((ref) => ref.writtenId === undefined));
  });

  it('CrossEncoder and transformers pass bare names to the Hub as written', async () => {
    const text = py`
      from sentence_transformers import CrossEncoder
      from transformers import AutoModel

      a = CrossEncoder("ms-marco-MiniLM-L-6-v2")
      b = AutoModel.from_pretrained("all-MiniLM-L6-v2")
    `;
    await expectRefs(text, [r(CE, 'ms-marco-MiniLM-L-6-v2', 4), r(TF, 'all-MiniLM-L6-v2', 5)]);
  });
});

describe('loader registry', () => {
  const byName = (name: string) => LOADERS.find((loader) => loader.name === name)!;

  it('id prefix rules: which loaders rewrite a bare name, and how', () => {
    assert.equal(requestedId(byName(ST), 'all-mpnet-base-v2'), 'sentence-transformers/all-mpnet-base-v2');
    assert.equal(requestedId(byName(ST), 'T5-Base'), 'T5-Base');
    assert.equal(requestedId(byName(ST), 'org/name'), 'org/name');
    assert.equal(requestedId(byName(CE), 'ms-marco-MiniLM-L-6-v2'), 'ms-marco-MiniLM-L-6-v2');
    assert.equal(requestedId(byName('from_pretrained'), 'all-mpnet-base-v2'), 'all-mpnet-base-v2');
  });

  it('id patterns: a loader that names Hub models with a prefix takes only those strings', () => {
    const prefixed: LoaderSpec = { kind: 'function', name: 'lib.create', library: 'lib', function: 'create', id: { position: 0, keywords: [] }, idPattern: /^hf[-_]hub:(.+)$/ };
    assert.equal(hubPart(prefixed, 'hf-hub:org/model'), 'org/model');
    assert.equal(hubPart(prefixed, 'resnet50'), undefined);
    assert.equal(hubPart(byName('from_pretrained'), 'resnet50'), 'resnet50');
  });

  it('loader facts the rules read: weights and use_safetensors', () => {
    assert.deepEqual(loaderFacts({ loader: TF, library: 'transformers', receiver: 'AutoModelForCausalLM' }), { loadsWeights: true, honoursUseSafetensors: true });
    assert.deepEqual(loaderFacts({ loader: TF, library: 'transformers', receiver: 'AutoTokenizer' }), { loadsWeights: false, honoursUseSafetensors: false });
    assert.deepEqual(loaderFacts({ loader: DF, library: 'diffusers', receiver: 'StableDiffusionPipeline' }), { loadsWeights: true, honoursUseSafetensors: true });
    assert.deepEqual(loaderFacts({ loader: 'peft.from_pretrained', library: 'peft', receiver: 'PeftModel' }), { loadsWeights: true, honoursUseSafetensors: false });
    assert.deepEqual(loaderFacts({ loader: ST, library: 'sentence_transformers' }), { loadsWeights: true, honoursUseSafetensors: false });
    assert.equal(loaderOf({ loader: 'optimum.from_pretrained', library: 'optimum' })?.name, 'from_pretrained');
  });
});

describe('scanPython: arguments that download nothing', () => {
  it('model objects, typed model parameters and path expressions are not references', async () => {
    const text = py`
      import glob
      import os
      from pathlib import Path

      from transformers import AutoModel, AutoModelForTokenClassification, PreTrainedModel, pipeline

      model = AutoModelForTokenClassification.from_pretrained("dslim/bert-base-NER").to("cuda")
      ner = pipeline("ner", model=model)


      def wrap(m: PreTrainedModel):
          return pipeline("ner", model=m)


      def either(m: PreTrainedModel | str, n: Optional[Union["PreTrainedModel", str]] = None):
          return pipeline("ner", model=m), pipeline("ner", model=n)


      def evaluate(output_dir, step):
          for ckpt in Path(output_dir).glob("checkpoint-*"):
              AutoModel.from_pretrained(ckpt)
          for found in sorted(glob.glob(os.path.join(output_dir, "checkpoint-*"))):
              AutoModel.from_pretrained(found)
          AutoModel.from_pretrained(os.path.join(output_dir, "best"))
          AutoModel.from_pretrained(Path(output_dir) / "final")
          AutoModel.from_pretrained(f"{output_dir}/checkpoint-{step}")
          AutoModel.from_pretrained(str(Path(output_dir).resolve()))
          best = os.path.join(output_dir, "best")
          AutoModel.from_pretrained(best)
    `;
    const refs = await scan(text);
    assert.deepEqual(refs.map((ref) => brief(text, ref)), [r(TF, 'dslim/bert-base-NER', 7), u(PIPE, 'm', 16), u(PIPE, 'n', 16)]);
  });

  it('a from_pretrained override passing its parameter on, and a model object kept on self, are not references', async () => {
    const text = py`
      from transformers import AutoModel, AutoTokenizer, PreTrainedModel, pipeline


      class Encoder(PreTrainedModel):
          @classmethod
          def from_pretrained(cls, pretrained_model_name_or_path, *args, **kwargs):
              return super().from_pretrained(pretrained_model_name_or_path, *args, **kwargs)


      class Service:
          def __init__(self):
              self.model = AutoModel.from_pretrained("org/service")
              self.pipe = pipeline("feature-extraction", model=self.model)


      enc = Encoder.from_pretrained("org/encoder")


      def test_round_trip(tmp_path_factory):
          import tempfile
          with tempfile.TemporaryDirectory() as tmpdirname:
              enc.save_pretrained(tmpdirname)
              Encoder.from_pretrained(tmpdirname)
    `;
    await expectRefs(text, [r(TF, 'org/service', 12), r(TF, 'org/encoder', 16)]);
  });

  it('a folder this file saves a model to is local when loaded again', async () => {
    const text = py`
      from transformers import AutoModel, TrainingArguments
      from sentence_transformers import SentenceTransformer

      SAVE_DIR = "checkpoints/final"
      model = AutoModel.from_pretrained("google-bert/bert-base-uncased")
      args = TrainingArguments(output_dir="outputs/run1")
      model.save_pretrained(SAVE_DIR)
      reloaded = AutoModel.from_pretrained("checkpoints/final")
      best = AutoModel.from_pretrained("outputs/run1/checkpoint-500")
      st = SentenceTransformer("all-MiniLM-L6-v2")
      st.save("models/minilm")
      again = SentenceTransformer("models/minilm")
      other = AutoModel.from_pretrained("checkpoints/other")
    `;
    await expectRefs(text, [r(TF, 'google-bert/bert-base-uncased', 5), r(ST, 'sentence-transformers/all-MiniLM-L6-v2', 10), r(TF, 'checkpoints/other', 13)]);
  });

  it('names that read as paths stay references, marked likelyPath; name_or_path names stay ids', async () => {
    const text = py`
      from transformers import AutoModel


      def load(model_path, ckpt, pretrained_model_name_or_path, model_name_or_path, args):
          a = AutoModel.from_pretrained(model_path)
          b = AutoModel.from_pretrained(ckpt)
          c = AutoModel.from_pretrained(args.output_dir)
          d = AutoModel.from_pretrained(pretrained_model_name_or_path)
          e = AutoModel.from_pretrained(model_name_or_path)
          f = AutoModel.from_pretrained(args.model_name_or_path)
    `;
    const refs = await expectRefs(text, [
      u(TF, 'model_path', 5),
      u(TF, 'ckpt', 6),
      u(TF, 'args.output_dir', 7),
      u(TF, 'pretrained_model_name_or_path', 8),
      u(TF, 'model_name_or_path', 9),
      u(TF, 'args.model_name_or_path', 10),
    ]);
    assert.deepEqual(refs.map((ref) => ref.likelyPath ?? false), [true, true, true, false, false, false]);
  });

  it('f-strings and joins of an owner and a name stay ids', async () => {
    const text = py`
      from transformers import AutoModel


      def load(org, size):
          return AutoModel.from_pretrained(f"{org}/llama-{size}"), AutoModel.from_pretrained(f"google/{size}")


      def joined(org, name):
          return AutoModel.from_pretrained("/".join([org, name]))
    `;
    const refs = await expectRefs(text, [u(TF, 'f"{org}/llama-{size}"', 5), u(TF, 'f"google/{size}"', 5), u(TF, '"/".join([org, name])', 9)]);
    assert.ok(refs.every((ref) => !ref.likelyPath));
  });
});

describe('scanPython: why an id is unresolved, and whether a resolved one is only a default', () => {
  it('records the reason for each kind of expression', async () => {
    const text = py`
      import os
      from transformers import AutoModel

      config = {"model": "x"}


      def load(name, args):
          a = AutoModel.from_pretrained(name)
          b = AutoModel.from_pretrained(args.model)
          c = AutoModel.from_pretrained(get_name())
          d = AutoModel.from_pretrained(config["model"])
          e = AutoModel.from_pretrained(os.environ["MODEL"])
          f = AutoModel.from_pretrained(os.getenv("MODEL"))
          g = AutoModel.from_pretrained(name + "-large")
          for candidate in ["org/a", "org/b"]:
              h = AutoModel.from_pretrained(candidate)
          alias = args.model
          i = AutoModel.from_pretrained(alias)
    `;
    const refs = await scan(text);
    assert.deepEqual(
      refs.map((ref) => [ref.unresolved, ref.unresolvedReason]),
      [
        ['name', 'parameter'],
        ['args.model', 'attribute'],
        ['get_name()', 'call'],
        ['config["model"]', 'subscript'],
        ['os.environ["MODEL"]', 'environment'],
        ['os.getenv("MODEL")', 'environment'],
        ['name + "-large"', 'other'],
        ['candidate', 'loop'],
        ['alias', 'attribute'],
      ],
    );
  });

  it('ids that are only defaults (argparse, dataclass, parameter, environment) are overridable; constants are not', async () => {
    const text = py`
      import argparse
      import os
      from dataclasses import dataclass, field
      from transformers import AutoModel

      MODEL = "org/constant"


      @dataclass
      class Args:
          model_id: str = field(default="org/dataclass")


      def load(args: Args, name="org/parameter"):
          parser = argparse.ArgumentParser()
          parser.add_argument("--model", default="org/argparse")
          cli = parser.parse_args()
          local = "org/local"
          a = AutoModel.from_pretrained(MODEL)
          b = AutoModel.from_pretrained(local)
          c = AutoModel.from_pretrained(cli.model)
          d = AutoModel.from_pretrained(args.model_id)
          e = AutoModel.from_pretrained(name)
          f = AutoModel.from_pretrained(os.environ.get("MODEL", "org/environment"))
          g = AutoModel.from_pretrained("org/literal")
    `;
    const refs = await scan(text);
    assert.deepEqual(
      refs.map((ref) => [ref.modelId, ref.idOverridable ?? false]),
      [
        ['org/constant', false],
        ['org/local', false],
        ['org/argparse', true],
        ['org/dataclass', true],
        ['org/parameter', true],
        ['org/environment', true],
        ['org/literal', false],
      ],
    );
  });

  it('a revision keeps where its value comes from', async () => {
    const text = py`
      from transformers import AutoModel

      revision = "refs/pr/1"
      m = AutoModel.from_pretrained("org/x", revision=revision)
    `;
    const [ref] = await scan(text);
    assert.deepEqual([ref.revision?.value, ref.revision?.source], ['refs/pr/1', 'constant revision']);
  });
});

describe('scanPython: huggingface_hub', () => {
  it('hf_hub_download with keywords and positionally', async () => {
    const text = py`
      from huggingface_hub import hf_hub_download

      ckpt_path = hf_hub_download(repo_id="lllyasviel/Annotators", filename="body_pose_model.pth")
      config_path = hf_hub_download("openai/clip-vit-large-patch14", "config.json", revision="main")
    `;
    const refs = await expectRefs(text, [
      r(HF_DL, 'lllyasviel/Annotators', 3),
      r(HF_DL, 'openai/clip-vit-large-patch14', 4, 'main'),
    ]);
    assert.equal(idText(text, refs[0]), '"lllyasviel/Annotators"');
    assert.equal(refs[0].options.filename?.value, 'body_pose_model.pth');
    assert.equal(refs[0].library, 'huggingface_hub');
  });

  it('snapshot_download positional, keyword and as a module attribute', async () => {
    const text = py`
      import huggingface_hub
      from huggingface_hub import snapshot_download

      local_dir = snapshot_download("stabilityai/stable-diffusion-xl-base-1.0")
      gguf_dir = snapshot_download(
          repo_id="TheBloke/Llama-2-7B-GGUF",
          allow_patterns=["*.Q4_K_M.gguf"],
          local_dir="./models",
      )
      whisper_dir = huggingface_hub.snapshot_download(repo_id="openai/whisper-large-v3")
    `;
    await expectRefs(text, [
      r(SNAP, 'stabilityai/stable-diffusion-xl-base-1.0', 4),
      r(SNAP, 'TheBloke/Llama-2-7B-GGUF', 6),
      r(SNAP, 'openai/whisper-large-v3', 10),
    ]);
  });

  // From the loader table (repoTypeKeyword): a dataset or Space repo is not a model load.
  it('dataset and space repos are not model loads', async () => {
    const text = py`
      from huggingface_hub import hf_hub_download, snapshot_download

      data_dir = snapshot_download(repo_id="HuggingFaceH4/ultrachat_200k", repo_type="dataset")
      app_dir = snapshot_download("gradio/hello_world", repo_type="space")
      weights = hf_hub_download("bert-base-uncased", "pytorch_model.bin", repo_type="model")
    `;
    await expectRefs(text, [r(HF_DL, 'bert-base-uncased', 5)]);
  });
});

describe('scanPython: imports', () => {
  it('follows aliases of imported classes', async () => {
    const text = py`
      from transformers import AutoModel as AM, AutoTokenizer as Tok

      tok = Tok.from_pretrained("xlm-roberta-base")
      model = AM.from_pretrained("xlm-roberta-large")
    `;
    await expectRefs(text, [r(TF, 'xlm-roberta-base', 3), r(TF, 'xlm-roberta-large', 4)]);
  });

  it('follows an aliased module', async () => {
    const text = py`
      import transformers as tf

      model = tf.AutoModel.from_pretrained("microsoft/deberta-v3-base")
    `;
    const refs = await expectRefs(text, [r(TF, 'microsoft/deberta-v3-base', 3)]);
    assert.equal(refs[0].library, 'transformers');
  });

  it('sees imports inside try blocks and function bodies', async () => {
    const text = py`
      try:
          from transformers import AutoModelForCausalLM, AutoTokenizer
      except ImportError as err:
          raise SystemExit("pip install transformers") from err


      def load_model():
          from peft import PeftModel

          base = AutoModelForCausalLM.from_pretrained("mistralai/Mistral-7B-v0.1")
          return PeftModel.from_pretrained(base, "my-org/mistral-lora")
    `;
    await expectRefs(text, [r(TF, 'mistralai/Mistral-7B-v0.1', 10), r(PEFT, 'my-org/mistral-lora', 11)]);
  });

  it('a ModelScope pipeline is not a Hugging Face load', async () => {
    const text = py`
      from modelscope.pipelines import pipeline
      from modelscope.utils.constant import Tasks

      captioner = pipeline(Tasks.image_captioning, model="damo/ofa_image-caption_coco_large_en")
      result = captioner("https://example.com/cat.png")
    `;
    await expectRefs(text, []);
  });

  it('ModelScope AutoModel and snapshot_download are not Hugging Face loads', async () => {
    const text = py`
      from modelscope import AutoModelForCausalLM, AutoTokenizer, snapshot_download

      model_dir = snapshot_download("qwen/Qwen-7B-Chat", revision="v1.1.4")
      tokenizer = AutoTokenizer.from_pretrained(model_dir, trust_remote_code=True)
      model = AutoModelForCausalLM.from_pretrained("qwen/Qwen-7B-Chat", trust_remote_code=True).eval()
    `;
    await expectRefs(text, []);
  });

  it('a locally defined pipeline function is not transformers.pipeline', async () => {
    const text = py`
      from transformers import AutoTokenizer


      def pipeline(task, model=None):
          """Our own tiny wrapper."""
          return {"task": task, "model": model}


      tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
      result = pipeline("ner", model="my-org/internal-ner")
    `;
    await expectRefs(text, [r(TF, 'bert-base-uncased', 9)]);
  });

  it('from_pretrained on a class of a file without Hugging Face imports is not a load', async () => {
    const text = py`
      import torch
      import torch.nn as nn


      class Encoder(nn.Module):
          @classmethod
          def from_pretrained(cls, path):
              model = cls()
              model.load_state_dict(torch.load(path))
              return model


      enc = Encoder.from_pretrained("weights/encoder")
    `;
    await expectRefs(text, []);
  });

  it('a local receiver in a file that imports transformers counts as transformers', async () => {
    const text = py`
      from transformers import AutoModelForSequenceClassification, AutoModelForTokenClassification

      TASK_TO_CLASS = {
          "classification": AutoModelForSequenceClassification,
          "tagging": AutoModelForTokenClassification,
      }


      def build(task):
          model_cls = TASK_TO_CLASS[task]
          return model_cls.from_pretrained("roberta-base")
    `;
    const refs = await expectRefs(text, [r(TF, 'roberta-base', 11)]);
    assert.equal(refs[0].library, 'transformers');
  });
});

describe('scanPython: literal ids', () => {
  it('single, double and triple quotes, r- and f-prefixes', async () => {
    const text = py`
      from transformers import AutoModel, AutoTokenizer

      a = AutoModel.from_pretrained('bert-base-uncased')
      b = AutoModel.from_pretrained("roberta-base")
      c = AutoModel.from_pretrained("""distilroberta-base""")
      d = AutoModel.from_pretrained('''albert-base-v2''')
      e = AutoModel.from_pretrained(r"google/electra-small-discriminator")
      f = AutoTokenizer.from_pretrained(f"xlnet-base-cased")
    `;
    const refs = await expectRefs(text, [
      r(TF, 'bert-base-uncased', 3),
      r(TF, 'roberta-base', 4),
      r(TF, 'distilroberta-base', 5),
      r(TF, 'albert-base-v2', 6),
      r(TF, 'google/electra-small-discriminator', 7),
      r(TF, 'xlnet-base-cased', 8),
    ]);
    assert.equal(idText(text, refs[0]), "'bert-base-uncased'");
    assert.equal(idText(text, refs[2]), '"""distilroberta-base"""');
    assert.equal(idText(text, refs[4]), 'r"google/electra-small-discriminator"');
    for (const ref of refs) assert.equal(ref.idSource, undefined, 'a literal at the call has no idSource');
  });

  it('decodes escapes in string literals', async () => {
    const text = py`
      from transformers import AutoModel

      model = AutoModel.from_pretrained("google/flan\x2dt5-base")
      other = AutoModel.from_pretrained('facebook/opt\u002d125m')
    `;
    const refs = await expectRefs(text, [r(TF, 'google/flan-t5-base', 3), r(TF, 'facebook/opt-125m', 4)]);
    assert.equal(idText(text, refs[0]), '"google/flan\\x2dt5-base"');
  });

  it('reduces a full Hub URL to the repo id', async () => {
    const text = py`
      from transformers import AutoModel

      model = AutoModel.from_pretrained("https://huggingface.co/google-bert/bert-base-uncased")
    `;
    const refs = await expectRefs(text, [r(TF, 'google-bert/bert-base-uncased', 3)]);
    assert.equal(idText(text, refs[0]), '"https://huggingface.co/google-bert/bert-base-uncased"');
  });
});

describe('scanPython: ids through names', () => {
  it('module-level constants, annotated ones too', async () => {
    const text = py`
      from transformers import AutoModelForCausalLM, AutoTokenizer

      MODEL_NAME = "EleutherAI/gpt-neo-1.3B"
      TOKENIZER_NAME: str = "EleutherAI/gpt-neox-20b"

      tokenizer = AutoTokenizer.from_pretrained(TOKENIZER_NAME)
      model = AutoModelForCausalLM.from_pretrained(MODEL_NAME)
    `;
    const refs = await expectRefs(text, [r(TF, 'EleutherAI/gpt-neox-20b', 6), r(TF, 'EleutherAI/gpt-neo-1.3B', 7)]);
    assert.equal(idText(text, refs[1]), 'MODEL_NAME');
    assert.ok(refs[1].idSource?.includes('MODEL_NAME'), `idSource names the constant: ${refs[1].idSource}`);
  });

  it('function-level constants, which shadow module-level ones', async () => {
    const text = py`
      from transformers import T5ForConditionalGeneration, T5Tokenizer

      CHECKPOINT = "t5-base"


      def load():
          checkpoint = "t5-small"
          tokenizer = T5Tokenizer.from_pretrained(checkpoint)
          model = T5ForConditionalGeneration.from_pretrained(checkpoint)
          return tokenizer, model


      def load_large():
          CHECKPOINT = "t5-large"
          return T5ForConditionalGeneration.from_pretrained(CHECKPOINT)


      def load_default():
          return T5ForConditionalGeneration.from_pretrained(CHECKPOINT)
    `;
    await expectRefs(text, [
      r(TF, 't5-small', 8),
      r(TF, 't5-small', 9),
      r(TF, 't5-large', 15),
      r(TF, 't5-base', 19),
    ]);
  });

  it('default parameter values', async () => {
    const text = py`
      from transformers import AutoModel, AutoTokenizer


      def load(name="bert-base-uncased"):
          return AutoModel.from_pretrained(name)


      def load_tokenizer(name: str = "bert-base-cased", *, use_fast: bool = True):
          return AutoTokenizer.from_pretrained(name, use_fast=use_fast)
    `;
    const refs = await expectRefs(text, [r(TF, 'bert-base-uncased', 5), r(TF, 'bert-base-cased', 9)]);
    assert.equal(idText(text, refs[0]), 'name');
  });

  it('os.getenv and os.environ.get defaults, directly and through a constant', async () => {
    const text = py`
      import os

      from transformers import AutoModelForCausalLM, AutoTokenizer

      MODEL_ID = os.getenv("MODEL_ID", "mistralai/Mistral-7B-Instruct-v0.2")
      DRAFT_ID = os.environ.get("DRAFT_ID", "double7/vicuna-68m")

      tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
      model = AutoModelForCausalLM.from_pretrained(os.environ.get("BASE_MODEL", "meta-llama/Llama-2-7b-chat-hf"))
      draft = AutoModelForCausalLM.from_pretrained(DRAFT_ID)
      judge = AutoModelForCausalLM.from_pretrained(os.getenv("JUDGE_MODEL", "Qwen/Qwen2-7B-Instruct"))
    `;
    const refs = await expectRefs(text, [
      r(TF, 'mistralai/Mistral-7B-Instruct-v0.2', 8),
      r(TF, 'meta-llama/Llama-2-7b-chat-hf', 9),
      r(TF, 'double7/vicuna-68m', 10),
      r(TF, 'Qwen/Qwen2-7B-Instruct', 11),
    ]);
    assert.equal(idText(text, refs[1]), 'os.environ.get("BASE_MODEL", "meta-llama/Llama-2-7b-chat-hf")');
  });

  it('argparse default flows into args.<dest>', async () => {
    const text = py`
      import argparse

      from transformers import AutoModelForSequenceClassification


      def parse_args():
          parser = argparse.ArgumentParser(description="Fine-tune a text classifier")
          parser.add_argument("--model_name_or_path", type=str, default="bert-base-cased", help="Model id")
          parser.add_argument("--num_train_epochs", type=int, default=3)
          return parser.parse_args()


      def main():
          args = parse_args()
          model = AutoModelForSequenceClassification.from_pretrained(args.model_name_or_path, num_labels=2)


      if __name__ == "__main__":
          main()
    `;
    const refs = await expectRefs(text, [r(TF, 'bert-base-cased', 15)]);
    assert.equal(idText(text, refs[0]), 'args.model_name_or_path');
  });

  it('argparse --tokenizer-name becomes args.tokenizer_name', async () => {
    const text = py`
      import argparse
      from transformers import AutoTokenizer

      parser = argparse.ArgumentParser()
      parser.add_argument("--tokenizer-name", type=str, default="bert-base-multilingual-cased")
      args = parser.parse_args()
      tokenizer = AutoTokenizer.from_pretrained(args.tokenizer_name)
    `;
    await expectRefs(text, [r(TF, 'bert-base-multilingual-cased', 7)]);
  });

  it('argparse dest= names the attribute', async () => {
    const text = py`
      import argparse
      from transformers import AutoModelForSequenceClassification

      parser = argparse.ArgumentParser()
      parser.add_argument("-t", "--teacher", dest="teacher_model", default="roberta-large")
      args = parser.parse_args()
      teacher = AutoModelForSequenceClassification.from_pretrained(args.teacher_model)
    `;
    await expectRefs(text, [r(TF, 'roberta-large', 7)]);
  });

  it('argparse without a default stays unresolved', async () => {
    const text = py`
      import argparse
      from transformers import AutoModel

      parser = argparse.ArgumentParser()
      parser.add_argument("--model_name", type=str, required=True)
      args = parser.parse_args()
      model = AutoModel.from_pretrained(args.model_name)
    `;
    const refs = await expectRefs(text, [u(TF, 'args.model_name', 7)]);
    assert.equal(idText(text, refs[0]), 'args.model_name');
  });

  it('dataclass field defaults, with field(default=...) and plain values', async () => {
    const text = py`
      from dataclasses import dataclass, field
      from typing import Optional

      from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, HfArgumentParser, Seq2SeqTrainingArguments


      @dataclass
      class ModelArguments:
          model_name_or_path: str = field(
              default="google/flan-t5-base",
              metadata={"help": "Path to pretrained model or model identifier from huggingface.co/models"},
          )
          tokenizer_name: Optional[str] = "google/flan-t5-small"
          cache_dir: Optional[str] = field(default=None)


      def main():
          parser = HfArgumentParser((ModelArguments, Seq2SeqTrainingArguments))
          model_args, training_args = parser.parse_args_into_dataclasses()
          tokenizer = AutoTokenizer.from_pretrained(model_args.tokenizer_name, cache_dir=model_args.cache_dir)
          model = AutoModelForSeq2SeqLM.from_pretrained(model_args.model_name_or_path, cache_dir=model_args.cache_dir)
    `;
    await expectRefs(text, [r(TF, 'google/flan-t5-small', 20), r(TF, 'google/flan-t5-base', 21)]);
  });

  it('dataclass field without a default stays unresolved', async () => {
    const text = py`
      from dataclasses import dataclass, field

      from transformers import AutoModel, HfArgumentParser


      @dataclass
      class ModelArguments:
          model_name_or_path: str = field(metadata={"help": "Model id or path"})


      (model_args,) = HfArgumentParser(ModelArguments).parse_args_into_dataclasses()
      model = AutoModel.from_pretrained(model_args.model_name_or_path)
    `;
    await expectRefs(text, [u(TF, 'model_args.model_name_or_path', 12)]);
  });

  it('class attributes through self, cls and the class name', async () => {
    const text = py`
      from sentence_transformers import SentenceTransformer
      from transformers import AutoTokenizer


      class Embedder:
          MODEL_ID = "BAAI/bge-small-en-v1.5"

          def __init__(self, device="cpu"):
              self.model = SentenceTransformer(self.MODEL_ID, device=device)

          @classmethod
          def tokenizer(cls):
              return AutoTokenizer.from_pretrained(cls.MODEL_ID)


      def standalone_tokenizer():
          return AutoTokenizer.from_pretrained(Embedder.MODEL_ID)
    `;
    const refs = await expectRefs(text, [
      r(ST, 'BAAI/bge-small-en-v1.5', 9),
      r(TF, 'BAAI/bge-small-en-v1.5', 13),
      r(TF, 'BAAI/bge-small-en-v1.5', 17),
    ]);
    assert.equal(idText(text, refs[0]), 'self.MODEL_ID');
  });

  it('concatenation and f-strings of constants', async () => {
    const text = py`
      from transformers import AutoModelForCausalLM

      ORG = "facebook"
      NAME = "opt-350m"
      SIZE = "1.3b"

      a = AutoModelForCausalLM.from_pretrained(ORG + "/" + NAME)
      b = AutoModelForCausalLM.from_pretrained("facebook/" + "opt-" + SIZE)
      c = AutoModelForCausalLM.from_pretrained(f"{ORG}/{NAME}")
      d = AutoModelForCausalLM.from_pretrained(f"{ORG}/opt-{SIZE}")
    `;
    const refs = await expectRefs(text, [
      r(TF, 'facebook/opt-350m', 7),
      r(TF, 'facebook/opt-1.3b', 8),
      r(TF, 'facebook/opt-350m', 9),
      r(TF, 'facebook/opt-1.3b', 10),
    ]);
    assert.equal(idText(text, refs[0]), 'ORG + "/" + NAME');
    assert.equal(idText(text, refs[2]), 'f"{ORG}/{NAME}"');
  });

  it('unresolvable ids keep their expression text and are never guessed', async () => {
    const text = py`
      import os

      from transformers import AutoModel, AutoTokenizer


      def get_model_name():
          return "bert-" + "base-uncased"


      def load(path, org):
          a = AutoModel.from_pretrained(get_model_name())
          b = AutoModel.from_pretrained(os.environ["MODEL_NAME"])
          c = AutoModel.from_pretrained(path)
          d = AutoModel.from_pretrained(f"{org}/llama-7b")
          e = AutoTokenizer.from_pretrained(os.environ.get("TOKENIZER_NAME"))
          f = AutoModel.from_pretrained("my-org/" + org)
          return a, b, c, d, e, f
    `;
    await expectRefs(text, [
      u(TF, 'get_model_name()', 11),
      u(TF, 'os.environ["MODEL_NAME"]', 12),
      u(TF, 'path', 13),
      u(TF, 'f"{org}/llama-7b"', 14),
      u(TF, 'os.environ.get("TOKENIZER_NAME")', 15),
      u(TF, '"my-org/" + org', 16),
    ]);
  });

  it('a constant bound to a call result stays unresolved', async () => {
    const text = py`
      from transformers import AutoModel
      from config import load_config

      MODEL = load_config()["model"]
      model = AutoModel.from_pretrained(MODEL)
    `;
    await expectRefs(text, [u(TF, 'MODEL', 5)]);
  });
});

describe('scanPython: local paths', () => {
  it('relative, absolute, home and Windows paths are not Hub ids', async () => {
    const text = py`
      from transformers import AutoModel, AutoTokenizer

      OUTPUT_DIR = "./outputs/checkpoint-500"

      a = AutoModel.from_pretrained("./my_model")
      b = AutoModel.from_pretrained("/mnt/models/llama-2-7b")
      c = AutoModel.from_pretrained("../results/best")
      d = AutoModel.from_pretrained("~/models/bert")
      e = AutoModel.from_pretrained("C:\\models\\bert")
      f = AutoModel.from_pretrained(r"D:\checkpoints\run1")
      g = AutoTokenizer.from_pretrained(OUTPUT_DIR)
      h = AutoModel.from_pretrained("bert-base-uncased")
    `;
    await expectRefs(text, [r(TF, 'bert-base-uncased', 12)]);
  });

  it('a local save directory reloaded in a training script is not a Hub id', async () => {
    const text = py`
      from transformers import AutoModelForSequenceClassification, Trainer

      model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)
      trainer = Trainer(model=model)
      trainer.train()
      trainer.save_model("./results/final")
      reloaded = AutoModelForSequenceClassification.from_pretrained("./results/final")
    `;
    await expectRefs(text, [r(TF, 'distilbert-base-uncased', 3)]);
  });

  it('options.isLocalPath decides for paths that look like ids', async () => {
    const text = py`
      from transformers import AutoModel

      CKPT = "checkpoints/run1"

      model = AutoModel.from_pretrained("checkpoints/run1")
      base = AutoModel.from_pretrained("openai-community/gpt2")
      again = AutoModel.from_pretrained(CKPT)
    `;
    await expectRefs(text, [
      r(TF, 'checkpoints/run1', 5),
      r(TF, 'openai-community/gpt2', 6),
      r(TF, 'checkpoints/run1', 7),
    ]);
    await expectRefs(text, [r(TF, 'openai-community/gpt2', 6)], {
      isLocalPath: (p) => p === 'checkpoints/run1',
    });
  });
});

describe('scanPython: strings and comments', () => {
  it('code in comments, docstrings and strings is not a load', async () => {
    const text = py`
      """Utilities for the demo.

      Example:
          >>> from transformers import AutoModel
          >>> model = AutoModel.from_pretrained("bert-base-uncased")
      """
      from transformers import AutoModel

      # model = AutoModel.from_pretrained("gpt2-xl")  # too big for CI
      SNIPPET = 'AutoModel.from_pretrained("roberta-large")'
      HELP = "Call AutoModel.from_pretrained('t5-11b') yourself"


      def load():
          """Loads the model, e.g. AutoModel.from_pretrained("distilgpt2")."""
          return AutoModel.from_pretrained("distilbert-base-uncased")  # not "gpt2"
    `;
    await expectRefs(text, [r(TF, 'distilbert-base-uncased', 16)]);
  });
});

describe('scanPython: options', () => {
  it('revision: a branch, a commit sha and an unresolved variable', async () => {
    const text = py`
      import argparse

      from transformers import AutoModelForCausalLM, AutoTokenizer

      parser = argparse.ArgumentParser()
      parser.add_argument("--revision", type=str)
      args = parser.parse_args()

      tok = AutoTokenizer.from_pretrained("tiiuae/falcon-7b", revision="main")
      model = AutoModelForCausalLM.from_pretrained(
          "tiiuae/falcon-7b",
          revision="2f5c3cd4eace6be6c0f12981f377fb35e5bf6ee5",
      )
      draft = AutoModelForCausalLM.from_pretrained("tiiuae/falcon-rw-1b", revision=args.revision)
      plain = AutoModelForCausalLM.from_pretrained("tiiuae/falcon-rw-1b")
    `;
    const refs = await expectRefs(text, [
      r(TF, 'tiiuae/falcon-7b', 9, 'main'),
      r(TF, 'tiiuae/falcon-7b', 11, '2f5c3cd4eace6be6c0f12981f377fb35e5bf6ee5'),
      r(TF, 'tiiuae/falcon-rw-1b', 14, { unresolved: 'args.revision' }),
      r(TF, 'tiiuae/falcon-rw-1b', 15),
    ]);
    assert.equal(refs[0].revision?.text, '"main"');
    assert.equal(text.slice(refs[0].revision!.span.start, refs[0].revision!.span.end), '"main"');
    assert.equal(refs[2].revision?.resolved, false);
    assert.equal('revision' in refs[0].options, false, 'revision is not among options');
  });

  it('trust_remote_code, use_safetensors, token, local_files_only and subfolder', async () => {
    const text = py`
      import os

      from transformers import AutoModelForCausalLM

      model = AutoModelForCausalLM.from_pretrained(
          "tiiuae/falcon-7b-instruct",
          trust_remote_code=True,
          use_safetensors=False,
          token=os.environ["HF_TOKEN"],
          local_files_only=True,
          subfolder="checkpoint-1000",
      )
    `;
    const refs = await expectRefs(text, [r(TF, 'tiiuae/falcon-7b-instruct', 6)]);
    const o = refs[0].options;
    assert.deepEqual(
      Object.keys(o).sort(),
      ['local_files_only', 'subfolder', 'token', 'trust_remote_code', 'use_safetensors'],
    );
    assert.equal(o.trust_remote_code.value, true);
    assert.equal(o.trust_remote_code.resolved, true);
    assert.equal(o.trust_remote_code.text, 'True');
    assert.equal(o.use_safetensors.value, false);
    assert.equal(o.use_safetensors.resolved, true);
    assert.equal(o.token.resolved, false);
    assert.equal(o.token.text, 'os.environ["HF_TOKEN"]');
    assert.equal(o.local_files_only.value, true);
    assert.equal(o.subfolder.value, 'checkpoint-1000');
  });

  it('token=True on a pipeline and trust_remote_code on SentenceTransformer', async () => {
    const text = py`
      from sentence_transformers import SentenceTransformer
      from transformers import pipeline

      chat = pipeline("text-generation", model="meta-llama/Llama-2-7b-chat-hf", token=True)
      emb = SentenceTransformer("nomic-ai/nomic-embed-text-v1", trust_remote_code=True)
    `;
    const refs = await expectRefs(text, [
      r(PIPE, 'meta-llama/Llama-2-7b-chat-hf', 4),
      r(ST, 'nomic-ai/nomic-embed-text-v1', 5),
    ]);
    assert.equal(refs[0].options.token?.value, true);
    assert.equal(refs[1].options.trust_remote_code?.value, true);
  });

  it('the plain fields of a simple reference', async () => {
    const text = py`
      from transformers import AutoModel

      model = AutoModel.from_pretrained("gpt2", torch_dtype="auto")
    `;
    const refs = await expectRefs(text, [r(TF, 'gpt2', 3)]);
    const ref = refs[0];
    assert.equal(text.slice(ref.callSpan.start, ref.callSpan.end), 'AutoModel.from_pretrained("gpt2", torch_dtype="auto")');
    assert.equal(ref.argsEnd, text.indexOf('"auto"') + '"auto"'.length);
    assert.deepEqual(ref.options, {});
    assert.equal(ref.revision, undefined);
    assert.equal(ref.idSource, undefined);
    assert.equal(ref.unresolved, undefined);
    assert.equal(ref.canPin, true);
    assert.equal(ref.cell, undefined);
  });

  it('**kwargs does not hide the call', async () => {
    const text = py`
      from transformers import AutoModel

      model_kwargs = {"torch_dtype": "auto", "trust_remote_code": True}
      model = AutoModel.from_pretrained("THUDM/chatglm3-6b", **model_kwargs)
      other = AutoModel.from_pretrained("THUDM/chatglm2-6b", *extra_args, **model_kwargs)
    `;
    await expectRefs(text, [r(TF, 'THUDM/chatglm3-6b', 4), r(TF, 'THUDM/chatglm2-6b', 5)]);
  });
});

describe('scanPython: code shapes', () => {
  it('a multi-line call with comments and a trailing comma', async () => {
    const text = py`
      import torch
      from transformers import AutoModelForCausalLM, BitsAndBytesConfig

      bnb_config = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.bfloat16)
      model = AutoModelForCausalLM.from_pretrained(
          # base model to fine-tune
          "mistralai/Mistral-7B-v0.1",  # 7B params
          quantization_config=bnb_config,  # QLoRA
          device_map={"": 0},
          trust_remote_code=False,
      )
    `;
    const refs = await expectRefs(text, [r(TF, 'mistralai/Mistral-7B-v0.1', 7)]);
    assert.equal(idText(text, refs[0]), '"mistralai/Mistral-7B-v0.1"');
    assert.equal(refs[0].options.trust_remote_code?.value, false);
  });

  it('decorated and async functions in a web service', async () => {
    const text = py`
      from functools import lru_cache

      from fastapi import FastAPI
      from sentence_transformers import SentenceTransformer
      from transformers import AutoModelForSequenceClassification, AutoTokenizer

      app = FastAPI()
      state = {}


      @lru_cache(maxsize=1)
      def get_embedder():
          return SentenceTransformer("intfloat/e5-large-v2")


      @app.on_event("startup")
      async def startup() -> None:
          state["tokenizer"] = AutoTokenizer.from_pretrained("ProsusAI/finbert")
          state["model"] = AutoModelForSequenceClassification.from_pretrained("ProsusAI/finbert")


      @app.post("/embed")
      async def embed(texts: list[str]):
          return get_embedder().encode(texts).tolist()
    `;
    await expectRefs(text, [
      r(ST, 'intfloat/e5-large-v2', 13),
      r(TF, 'ProsusAI/finbert', 18),
      r(TF, 'ProsusAI/finbert', 19),
    ]);
  });

  it('class methods, nested functions, lambdas and with blocks', async () => {
    const text = py`
      import torch
      from accelerate import init_empty_weights
      from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer


      class Generator:
          def __init__(self, model_name="Qwen/Qwen2-0.5B"):
              self.tokenizer = AutoTokenizer.from_pretrained(model_name)

              def _load():
                  with torch.device("cuda"):
                      return AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-1.5B")

              self.model = _load()


      make_tokenizer = lambda: AutoTokenizer.from_pretrained("Qwen/Qwen2-7B")

      with init_empty_weights():
          config = AutoConfig.from_pretrained("Qwen/Qwen2-72B")
          empty = AutoModelForCausalLM.from_config(config)
    `;
    await expectRefs(text, [
      r(TF, 'Qwen/Qwen2-0.5B', 8),
      r(TF, 'Qwen/Qwen2-1.5B', 12),
      r(TF, 'Qwen/Qwen2-7B', 17),
      r(TF, 'Qwen/Qwen2-72B', 20),
    ]);
  });

  it('__main__ block, if/else branches and chained .to()/.eval()', async () => {
    const text = py`
      import torch
      from transformers import AutoModelForCausalLM, AutoTokenizer

      if __name__ == "__main__":
          device = "cuda" if torch.cuda.is_available() else "cpu"
          if torch.cuda.is_available():
              model = AutoModelForCausalLM.from_pretrained("meta-llama/Meta-Llama-3-8B-Instruct").to(device).eval()
          else:
              model = AutoModelForCausalLM.from_pretrained("TinyLlama/TinyLlama-1.1B-Chat-v1.0").half().to("cpu")
          tokenizer = AutoTokenizer.from_pretrained("meta-llama/Meta-Llama-3-8B-Instruct", padding_side="left")
    `;
    const refs = await expectRefs(text, [
      r(TF, 'meta-llama/Meta-Llama-3-8B-Instruct', 7),
      r(TF, 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', 9),
      r(TF, 'meta-llama/Meta-Llama-3-8B-Instruct', 10),
    ]);
    assert.equal(
      text.slice(refs[0].callSpan.start, refs[0].callSpan.end),
      'AutoModelForCausalLM.from_pretrained("meta-llama/Meta-Llama-3-8B-Instruct")',
    );
  });

  it('calls inside list and dict literals and as call arguments', async () => {
    const text = py`
      from transformers import AutoModel, AutoTokenizer

      ENSEMBLE = [
          AutoModel.from_pretrained("bert-base-uncased"),
          AutoModel.from_pretrained("roberta-base"),
      ]
      TOKENIZERS = {"bert": AutoTokenizer.from_pretrained("bert-base-uncased"), "roberta": AutoTokenizer.from_pretrained("roberta-base")}
      print(AutoModel.from_pretrained("albert-base-v2").config)
    `;
    await expectRefs(text, [
      r(TF, 'bert-base-uncased', 4),
      r(TF, 'roberta-base', 5),
      r(TF, 'bert-base-uncased', 7),
      r(TF, 'roberta-base', 7),
      r(TF, 'albert-base-v2', 8),
    ]);
  });

  it('a notebook exported to a .py script', async () => {
    const text = py`
      #!/usr/bin/env python
      # coding: utf-8

      # In[1]:


      get_ipython().system('pip install -q transformers accelerate')


      # In[2]:


      from transformers import pipeline, AutoTokenizer


      # In[3]:


      checkpoint = "HuggingFaceH4/zephyr-7b-beta"
      tokenizer = AutoTokenizer.from_pretrained(checkpoint)
      pipe = pipeline("text-generation", model=checkpoint, tokenizer=tokenizer)
      pipe("Hello!")
    `;
    await expectRefs(text, [
      r(TF, 'HuggingFaceH4/zephyr-7b-beta', 20),
      r(PIPE, 'HuggingFaceH4/zephyr-7b-beta', 21),
    ]);
  });

  it('CRLF line endings', async () => {
    const text = py`
      from transformers import AutoModel

      model = AutoModel.from_pretrained("bert-base-uncased", revision="main")
    `.replace(/\n/g, '\r\n');
    const refs = await expectRefs(text, [r(TF, 'bert-base-uncased', 3, 'main')]);
    assert.equal(idText(text, refs[0]), '"bert-base-uncased"');
  });

  it('tab indentation', async () => {
    const text = 'from transformers import AutoModel\n\ndef load():\n\treturn AutoModel.from_pretrained("bert-base-uncased")\n';
    const refs = await expectRefs(text, [r(TF, 'bert-base-uncased', 4)]);
    assert.equal(idText(text, refs[0]), '"bert-base-uncased"');
  });
});

describe('scanPython: UTF-16 spans', () => {
  it('an emoji and accented text before the call on the same line', async () => {
    const text = 'from transformers import AutoModel\nprint("🤗 café…"); model = AutoModel.from_pretrained("camembert-base")\n';
    const refs = await expectRefs(text, [r(TF, 'camembert-base', 2)]);
    assert.equal(idText(text, refs[0]), '"camembert-base"');
    assert.equal(text.slice(refs[0].callSpan.start, refs[0].callSpan.end), 'AutoModel.from_pretrained("camembert-base")');
  });

  it('non-ASCII identifiers and comments before calls', async () => {
    const text = py`
      # Modèle français 🇫🇷 — chargement
      from transformers import AutoModel, AutoTokenizer

      modèle = AutoModel.from_pretrained("camembert-base"); tokeniseur = AutoTokenizer.from_pretrained("camembert/camembert-large")
    `;
    const refs = await expectRefs(text, [r(TF, 'camembert-base', 4), r(TF, 'camembert/camembert-large', 4)]);
    assert.equal(idText(text, refs[0]), '"camembert-base"');
    assert.equal(idText(text, refs[1]), '"camembert/camembert-large"');
  });

  it('non-ASCII around a constant and its use', async () => {
    const text = py`
      from transformers import AutoModel

      MODEL = "dbmdz/bert-base-german-cased"  # für Ümlaute 🎉
      print("✓ läuft"); model = AutoModel.from_pretrained(MODEL); print("✓ geladen")
    `;
    const refs = await expectRefs(text, [r(TF, 'dbmdz/bert-base-german-cased', 4)]);
    assert.equal(idText(text, refs[0]), 'MODEL');
  });

  // Beyond the brief's list: files saved with a byte-order mark (Node's readFileSync keeps it).
  it('a leading byte-order mark does not shift spans', async () => {
    const text = '\uFEFFfrom transformers import AutoModel\nmodel = AutoModel.from_pretrained("gpt2")\n';
    const refs = await expectRefs(text, [r(TF, 'gpt2', 2)]);
    assert.equal(idText(text, refs[0]), '"gpt2"');
  });
});

describe('scanPython: malformed and half-typed code', () => {
  it('syntax errors before the call do not hide it', async () => {
    const text = py`
      !pip install -q transformers
      from transformers import AutoModel

      def broken(:
          pass

      model = AutoModel.from_pretrained("bert-base-uncased")
      x = [1, 2,
    `;
    const refs = await expectRefs(text, [r(TF, 'bert-base-uncased', 7)]);
    assert.equal(idText(text, refs[0]), '"bert-base-uncased"');
  });

  it('a half-typed def (missing colon) before the call does not hide it', async () => {
    const text = py`
      from transformers import AutoTokenizer

      def collate(batch)
          return batch

      tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
    `;
    await expectRefs(text, [r(TF, 'bert-base-uncased', 6)]);
  });

  it('an unterminated call at EOF does not throw or invent an id', async () => {
    await expectRefs('from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained(', []);
    await expectRefs('from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("bert-base-unc', []);
    await expectRefs('from transformers import pipeline\npipe = pipeline(model=', []);
    await expectRefs('from transformers import AutoModel\nAutoModel.', []);
    // A complete id before the cut may be recovered; nothing else may appear.
    const text = 'from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("bert-base-uncased", ';
    for (const ref of await scan(text)) assert.deepEqual(brief(text, ref), r(TF, 'bert-base-uncased', 3));
  });

  it('a good call before an unterminated call is still found', async () => {
    const text = 'from transformers import AutoModel\ntok = AutoModel.from_pretrained("gpt2")\nmodel = AutoModel.from_pretrained(';
    const refs = await scan(text);
    assert.deepEqual(brief(text, refs[0]), r(TF, 'gpt2', 2));
  });

  it('empty, blank and comment-only files yield nothing', async () => {
    await expectRefs('', []);
    await expectRefs('\n\n\n', []);
    await expectRefs('   \t  ', []);
    await expectRefs('# from_pretrained("bert-base-uncased")\n', []);
    await expectRefs('from transformers import AutoModel, pipeline\n', []);
  });

  it('a megabyte of noise does not throw', { timeout: 120_000 }, async () => {
    let seed = 12345;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const pieces = [
      'from_pretrained(', 'AutoModel.', 'import transformers\n', 'from transformers import AutoModel\n',
      'pipeline(', '"', "'", '"""', '(', ')', '[', ']', '{', '}', ':', ',', '=', '\n', '\n    ', '\t',
      '#', '\\', 'é', '🤗', '\u0000', '\uFFFD', ' ', 'bert-base-uncased', 'x', '1', 'def ', 'class ',
      'f"{', 'r"', '\r\n', '@', '**', 'lambda ', 'os.environ.get(',
    ];
    const parts: string[] = [];
    let size = 0;
    while (size < 1_000_000) {
      const piece = pieces[next() % pieces.length];
      parts.push(piece);
      size += piece.length;
    }
    await scan(parts.join(''));
  });

  it('a large valid file yields every call', { timeout: 120_000 }, async () => {
    const n = 2000;
    const blocks = ['from transformers import AutoModel', ''];
    for (let i = 0; i < n; i++) {
      blocks.push(`def load_${i}():`, `    return AutoModel.from_pretrained("org/model-${i}")`, '');
    }
    const text = blocks.join('\n');
    const refs = await scan(text);
    assert.equal(refs.length, n);
    assert.deepEqual(brief(text, refs[0]), r(TF, 'org/model-0', 4));
    assert.deepEqual(brief(text, refs[n - 1]), r(TF, `org/model-${n - 1}`, 3 + 3 * n - 2));
  });
});

describe('PythonImports: relative imports', () => {
  it('lists the relative import statements in source order, from the lexical pass keywords and from a walk alike', async () => {
    const text = 'from . import a\nimport os\ndef f():\n    from .m import b as c\nfrom pkg import d\nfrom ..n import (e,\n    g)\n';
    const parser = await createParser('python');
    const tree = parser.parse(text)!;
    try {
      const relative = (imports: PythonImports) => imports.relativeImports.map((node) => node.text.split(' import')[0]);
      const expected = ['from .', '    from .m'.trim(), 'from ..n'];
      assert.deepEqual(relative(new PythonImports(tree.rootNode)), expected);
      assert.deepEqual(relative(new PythonImports(tree.rootNode, lexPython(text).importKeywords)), expected);
    } finally {
      tree.delete();
      parser.delete();
    }
  });
});
