// The fast path's promise, checked over texts made of chosen pieces: scanning through the
// lexical pass finds exactly what parsing the whole text finds.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanPython } from '../../server/scan/python';

export async function assertFastEqualsPlain(pieces: string[], options: { maxLength: number; numRuns: number; seed: number }): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: options.maxLength }), async (chosen) => {
      const text = chosen.join('\n');
      assert.deepEqual(await scanPython(text), await scanPython(text, { plainParse: true }), text);
    }),
    { numRuns: options.numRuns, seed: options.seed },
  );
}
