// Detection quality on the labelled set in test/fixtures/detection: every loader of the
// registry, true negatives (torch.hub.load, flair short names, plain timm names, local
// paths) and real-code shapes. Targets: recall >= 0.95 and precision >= 0.95.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { measureDetection } from '../eval/detection';

const SET = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'detection');

describe('detection on the labelled set', () => {
  it('finds at least 95% of the labelled loads, and at least 95% of what it finds is labelled', async () => {
    const figures = await measureDetection(SET);
    const detail = `misses: ${figures.misses.join('; ') || 'none'}\nfalse positives: ${figures.falsePositives.join('; ') || 'none'}`;
    assert.ok(figures.expected >= 60, `the set labels at least 60 loads (has ${figures.expected})`);
    assert.ok(figures.recall >= 0.95, `recall ${figures.recall.toFixed(3)} (${figures.truePositives}/${figures.expected})\n${detail}`);
    assert.ok(figures.precision >= 0.95, `precision ${figures.precision.toFixed(3)} (${figures.truePositives}/${figures.found})\n${detail}`);
    process.stdout.write(`# detection: ${figures.truePositives}/${figures.expected} recalled, ${figures.found} found, ${figures.falsePositives.length} false positives\n`);
  });
});
