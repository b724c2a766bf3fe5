// The JSON records of a scan: a file without references or findings costs nothing (its lines are not
// indexed, a text never decoded is not read for it), and fingerprints are what they always were.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Finding, ModelReference } from '../../server/core/types';
import type { FileResult } from '../../server/engine/workspace';
import { toScanOutput } from '../../server/report/records';

/** A result whose text counts its reads (as a never-decoded file's text reads the file). */
function counted(relativePath: string, text: string, references: ModelReference[] = [], findings: Finding[] = []): { result: FileResult; reads: () => number } {
  let reads = 0;
  const result = { relativePath, references, findings } as unknown as FileResult;
  Object.defineProperty(result, 'text', { enumerable: true, get: () => (reads++, text) });
  return { result, reads: () => reads };
}

const span = (start: number, end: number) => ({ start, end });

describe('scan output records', () => {
  it('reads no text of a file that loads nothing, and locates what the others load', () => {
    const empty = Array.from({ length: 20 }, (_, i) => counted(`empty${i}.py`, 'import os\n'));
    const text = 'import x\nm = AutoModel.from_pretrained("org/m")\n';
    const start = text.indexOf('org/m');
    const reference = { modelId: 'org/m', idSpan: span(start, start + 5), callSpan: span(13, text.length - 1), language: 'python', loader: 'from_pretrained', options: {} } as unknown as ModelReference;
    const finding = { code: 'PTM101', severity: 'warning', message: 'unpinned', modelId: 'org/m', span: reference.idSpan, fixes: [], reference } as unknown as Finding;
    const loads = counted('loads.py', text, [reference], [finding, { ...finding }]);
    const output = toScanOutput([...empty.map((e) => e.result), loads.result]);
    assert.deepEqual(empty.map((e) => e.reads()), empty.map(() => 0));
    assert.ok(loads.reads() > 0);
    assert.deepEqual([output.references[0].line, output.references[0].column], [2, start - 9 + 1]);
    // The n-th finding of a rule, file and model: the first 32 hex digits of SHA-256 of "code|file|model|n".
    const expected = (n: number) => createHash('sha256').update(`PTM101|loads.py|org/m|${n}`).digest('hex').slice(0, 32);
    assert.deepEqual(output.findings.map((f) => f.fingerprint), [expected(1), expected(2)]);
  });
});
