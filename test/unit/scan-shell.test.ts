// Unit tests for the download-command scanner (server/scan/shell.ts) in shell scripts,
// Dockerfiles, Makefiles and CI YAML. Every expectation is written by hand from its snippet.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptySettings } from '../../server/config/settings';
import type { ModelReference } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';
import { fileKindOf } from '../../server/scan/file-kinds';

async function scan(text: string, path: string): Promise<ModelReference[]> {
  return fileKindOf(path)!.scan(text, {});
}

/** id (or `?text/reason`), loader, text under idSpan, revision. */
async function briefs(text: string, path: string): Promise<[string, string, string, unknown][]> {
  return (await scan(text, path)).map((r) => [
    r.modelId ?? `?${r.unresolved}/${r.unresolvedReason}`,
    r.loader,
    text.slice(r.idSpan.start, r.idSpan.end),
    r.revision ? (r.revision.resolved ? r.revision.value : `?${r.revision.text}`) : undefined,
  ]);
}

describe('shell scripts', () => {
  test('both command names, quotes, options before and after the id, variables', async () => {
    const text = [
      '#!/bin/bash',
      'set -e',
      'MODEL_ID="mistralai/Mistral-7B-v0.1"',
      'huggingface-cli download "$MODEL_ID" --local-dir ./m',
      "hf download --revision main 'Qwen/Qwen2.5-0.5B' config.json",
      'hf download ${BASE:-google/gemma-2b} --revision=abc1234',
      'pip install hf && hf download BAAI/bge-small-en-v1.5 \\',
      '    --include "*.json" "*.safetensors"',
      'hf download $UNSET_MODEL',
      'for m in org/a org/b; do hf download $m; done',
    ].join('\n');
    assert.deepEqual(await briefs(text, 'get.sh'), [
      ['mistralai/Mistral-7B-v0.1', 'huggingface-cli.download', '"$MODEL_ID"', undefined],
      ['Qwen/Qwen2.5-0.5B', 'hf.download', "'Qwen/Qwen2.5-0.5B'", 'main'],
      ['google/gemma-2b', 'hf.download', '${BASE:-google/gemma-2b}', 'abc1234'],
      ['BAAI/bge-small-en-v1.5', 'hf.download', 'BAAI/bge-small-en-v1.5', undefined],
      ['?$UNSET_MODEL/environment', 'hf.download', '$UNSET_MODEL', undefined],
      ['?$m/loop', 'hf.download', '$m', undefined],
    ]);
    const refs = await scan(text, 'get.sh');
    assert.equal(refs[0].idSource, 'variable MODEL_ID');
    assert.equal(refs[2].idOverridable, true, '${X:-default} is only a default');
    assert.equal(refs[1].options.filename?.value, 'config.json');
    assert.ok(refs.every((r) => r.language === 'shell'));
  });

  test('not a download: comments, echoed text, datasets and spaces, paths, other tools, other subcommands', async () => {
    const text = [
      '# hf download org/commented',
      'echo "then run: hf download org/echoed"',
      'hf download org/data --repo-type dataset',
      'huggingface-cli download --repo-type=space org/app',
      'hf download ./local/folder',
      'myhf download org/other-tool',
      'hf upload org/pushed .',
      'grep hf download.log',
    ].join('\n');
    assert.deepEqual(await scan(text, 'x.sh'), []);
  });
});

describe('Dockerfiles, Makefiles and CI YAML', () => {
  test('Dockerfile RUN lines with continuations and build args', async () => {
    const text = [
      'FROM python:3.11',
      'ARG MODEL=meta-llama/Llama-3.2-1B',
      'RUN pip install -U huggingface_hub && \\',
      '    huggingface-cli download Qwen/Qwen2.5-0.5B --local-dir /models/qwen',
      'RUN --mount=type=cache,target=/root/.cache hf download $MODEL',
    ].join('\n');
    assert.deepEqual(await briefs(text, 'Dockerfile'), [
      ['Qwen/Qwen2.5-0.5B', 'huggingface-cli.download', 'Qwen/Qwen2.5-0.5B', undefined],
      ['meta-llama/Llama-3.2-1B', 'hf.download', '$MODEL', undefined],
    ]);
    const refs = await scan(text, 'Dockerfile');
    assert.equal(refs[1].idOverridable, true, 'a build arg is only a default');
    assert.ok(refs.every((r) => r.language === 'dockerfile'));
    assert.deepEqual((await scan(text, 'docker/Dockerfile.gpu')).length, 2);
  });

  test('Makefile recipes with make variables and recipe prefixes', async () => {
    const text = ['MODEL := openai-community/gpt2', 'download:', '\t@huggingface-cli download $(MODEL) --local-dir models', '\t-hf download ${MODEL}'].join('\n');
    assert.deepEqual(await briefs(text, 'Makefile'), [
      ['openai-community/gpt2', 'huggingface-cli.download', '$(MODEL)', undefined],
      ['openai-community/gpt2', 'hf.download', '${MODEL}', undefined],
    ]);
    assert.ok((await scan(text, 'build/rules.mk')).every((r) => r.language === 'makefile'));
  });

  test('YAML run: lines and run: | blocks; expressions say where they come from', async () => {
    const text = [
      'jobs:',
      '  test:',
      '    steps:',
      '      - run: hf download sentence-transformers/all-MiniLM-L6-v2',
      '      - run: |',
      '          pip install huggingface_hub',
      '          huggingface-cli download ${{ matrix.model }}',
      '          hf download ${{ inputs.model }}',
    ].join('\n');
    assert.deepEqual(await briefs(text, '.github/workflows/ci.yml'), [
      ['sentence-transformers/all-MiniLM-L6-v2', 'hf.download', 'sentence-transformers/all-MiniLM-L6-v2', undefined],
      ['?${{ matrix.model }}/loop', 'huggingface-cli.download', '${{ matrix.model }}', undefined],
      ['?${{ inputs.model }}/parameter', 'hf.download', '${{ inputs.model }}', undefined],
    ]);
  });
});

describe('rules on download commands', () => {
  test('PTM402 offers --revision at the end of the command; a pinned download is not flagged', async () => {
    const text = 'hf download openai-community/gpt2 config.json --local-dir m\nhf download org/pinned --revision 0123456789abcdef0123456789abcdef01234567\n';
    const { findings } = await analyzeText(text, { relativePath: 'get.sh', settings: emptySettings(), localCommit: () => 'fedcba9876543210fedcba9876543210fedcba98' });
    assert.deepEqual(findings.map((f) => [f.code, f.modelId]), [['PTM402', 'openai-community/gpt2']]);
    const edit = findings[0].fixes[0].edits[0];
    const fixed = text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.end);
    assert.equal(fixed.split('\n')[0], 'hf download openai-community/gpt2 config.json --local-dir m --revision "fedcba9876543210fedcba9876543210fedcba98"');
  });
});

describe('model flags of training scripts', () => {
  test('--pretrained_model_name_or_path=$VAR, --model_name_or_path value, hyphens and line continuations', async () => {
    const text = [
      'export MODEL_NAME="stabilityai/stable-diffusion-2-1"',
      'accelerate launch train_controlnet.py \\',
      '  --pretrained_model_name_or_path=$MODEL_NAME \\',
      '  --output_dir=out \\',
      '  --controlnet_model_name_or_path=$CONTROLNET_PATH',
      'python run_clm.py --model_name_or_path "openai-community/gpt2-medium" --do_train',
      'python merge.py --base-model \\',
      '    meta-llama/Llama-3.1-8B',
      '',
    ].join('\n');
    assert.deepEqual(await briefs(text, 'train.sh'), [
      ['stabilityai/stable-diffusion-2-1', 'script.--pretrained_model_name_or_path', '$MODEL_NAME', undefined],
      ['openai-community/gpt2-medium', 'script.--model_name_or_path', '"openai-community/gpt2-medium"', undefined],
      ['meta-llama/Llama-3.1-8B', 'script.--base_model', 'meta-llama/Llama-3.1-8B', undefined],
    ]);
    assert.equal((await scan(text, 'train.sh'))[0].canPin, false, 'whether the script takes a revision is unknown: no pin finding');
  });

  test('not ids: local folders, bare names, files, unset variables, other flags, comments and echoed text', async () => {
    const text = [
      'python train.py --model_name_or_path ./checkpoints/run1 --tokenizer_name gpt2',
      'python train.py --model_name_or_path=output/llama --model meta-llama/Llama-3.1-8B',
      'python train.py --model_name_or_path $UNSET --base_model weights/model.safetensors',
      '# python train.py --model_name_or_path org/commented',
      'echo "usage: train.sh --model_name_or_path org/example"',
      'python train.py --hub_model_id me/pushed --dataset_name org/dataset',
      '',
    ].join('\n');
    assert.deepEqual(await briefs(text, 'run.sh'), []);
  });

  test('Dockerfiles and Makefiles read the same flags with their variables', async () => {
    const docker = ['ARG BASE=Qwen/Qwen2.5-7B-Instruct', 'CMD python serve.py --model_id ${BASE}', ''].join('\n');
    assert.deepEqual((await briefs(docker, 'Dockerfile')).map((b) => b[0]), ['Qwen/Qwen2.5-7B-Instruct']);
    const make = ['MODEL ?= google/flan-t5-base', 'train:', '\tpython train.py --model_name_or_path $(MODEL)', ''].join('\n');
    assert.deepEqual((await briefs(make, 'Makefile')).map((b) => b[0]), ['google/flan-t5-base']);
  });
});
