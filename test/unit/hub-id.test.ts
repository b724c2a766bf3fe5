import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyModelId } from '../../server/scan/hub-id';

test('Hub ids, Hub URLs and local paths are told apart', () => {
  const cases: [string, string][] = [
    ['bert-base-uncased', 'hub:bert-base-uncased'],
    ['google-bert/bert-base-uncased', 'hub:google-bert/bert-base-uncased'],
    ['https://huggingface.co/openai/whisper-tiny', 'hub:openai/whisper-tiny'],
    ['https://huggingface.co/openai/whisper-tiny/tree/main', 'hub:openai/whisper-tiny'],
    ['https://hf.co/org/model.v2', 'hub:org/model.v2'],
    ['https://huggingface.co/datasets/org/data', 'local'],
    ['./checkpoints/best', 'local'],
    ['../models/x', 'local'],
    ['/opt/models/bert', 'local'],
    ['~/models/bert', 'local'],
    ['C:\\models\\bert', 'local'],
    ['models/run 1/final', 'local'],
    ['', 'local'],
    ['has space', 'invalid'],
  ];
  for (const [input, expected] of cases) {
    const result = classifyModelId(input);
    assert.equal(result.kind === 'hub' ? `hub:${result.id}` : result.kind, expected, input);
  }
  assert.deepEqual(classifyModelId('outputs/run1', (p) => p === 'outputs/run1'), { kind: 'local' });
});
