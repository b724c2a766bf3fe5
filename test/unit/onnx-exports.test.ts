// Finding the conversion check's ONNX export of a model from the checks folder: the newest
// finished check of that model and revision whose export loads, still on disk. Real folders
// as the check writes them (spec.json, report.json, model.onnx).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OnnxExports } from '../../server/lsp/onnx-exports';
import { tempDir } from '../support/temp';

const root = tempDir('ptm-lens-checks-');
after(() => root.remove());

let made = 0;
/** A check folder; `report` false leaves it unfinished (the check still running). */
function checkFolder(source: object, report: { verdict: string } | false | string, finishedAt = 1_700_000_000 + made): { folder: string; onnx: string; finish(verdict: string): void } {
  const folder = join(root.path, `check-${made++}`);
  mkdirSync(folder);
  const onnx = join(folder, 'model.onnx');
  writeFileSync(join(folder, 'spec.json'), JSON.stringify({ source, onnx: null, out: folder }));
  writeFileSync(onnx, 'graph');
  const finish = (verdict: string) => {
    writeFileSync(join(folder, 'report.json'), JSON.stringify({ version: 1, verdict, onnx }));
    utimesSync(join(folder, 'report.json'), finishedAt, finishedAt);
  };
  if (typeof report === 'string') writeFileSync(join(folder, 'report.json'), report);
  else if (report) finish(report.verdict);
  return { folder, onnx, finish };
}

test('no checks folder yet: nothing, no error', () => {
  assert.equal(new OnnxExports(join(root.path, 'missing')).find('org/m', undefined), undefined);
});

test('the newest passing or mismatching export of the model at that revision; other models, revisions and crashes are not it', () => {
  const exports = new OnnxExports(root.path);
  checkFolder({ kind: 'model', id: 'org/m', library: 'timm' }, { verdict: 'pass' }, 1_700_000_000);
  const newer = checkFolder({ kind: 'model', id: 'org/m', library: 'timm' }, { verdict: 'mismatch' }, 1_700_000_500);
  checkFolder({ kind: 'model', id: 'org/m', library: 'timm' }, { verdict: 'load-crash' }, 1_700_001_000);
  const pinned = checkFolder({ kind: 'model', id: 'org/m', revision: 'v1' }, { verdict: 'pass' });
  checkFolder({ kind: 'module', file: '/x/models.py', name: 'build' }, { verdict: 'pass' });
  checkFolder({ kind: 'model', id: 'org/broken' }, '{ not json');
  assert.deepEqual(exports.find('org/m', undefined), { onnx: newer.onnx, verdict: 'mismatch', checkedAt: 1_700_000_500_000 });
  assert.equal(exports.find('org/m', 'v1')?.onnx, pinned.onnx);
  assert.equal(exports.find('org/m', 'v2'), undefined);
  assert.equal(exports.find('org/other', undefined), undefined);
  assert.equal(exports.find('org/broken', undefined), undefined);
  // The newer export deleted: the older one is offered.
  rmSync(newer.onnx);
  assert.equal(exports.find('org/m', undefined)?.verdict, 'pass');
});

test('a check still running is found once it finishes (an unfinished folder is read again)', () => {
  const exports = new OnnxExports(root.path);
  const running = checkFolder({ kind: 'model', id: 'org/slow' }, false);
  assert.equal(exports.find('org/slow', undefined), undefined);
  running.finish('pass');
  assert.equal(exports.find('org/slow', undefined)?.onnx, running.onnx);
});
