// `ptm-lens scan` on a folder with a Jupyter notebook: the JSON contract's `cell` and
// within-cell lines, the text output, SARIF regions in the .ipynb with the cell as a property,
// and a broken notebook as one note.
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { tempWorkspace } from '../support/workspace';

const ROOT = join(__dirname, '..', '..', '..');

/** Written as Jupyter writes notebooks: one JSON line per source line. */
const NOTEBOOK = `{
 "cells": [
  { "cell_type": "markdown", "metadata": {}, "source": ["# Fine-tuning \\"demo\\""] },
  {
   "cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
   "source": [
    "%pip install transformers\\n",
    "from transformers import AutoModel\\n",
    "BASE = \\"org/base-model\\""
   ]
  },
  {
   "cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
   "source": [
    "!nvidia-smi\\n",
    "model = AutoModel.from_pretrained(BASE, trust_remote_code=True)\\n"
   ]
  }
 ],
 "metadata": { "kernelspec": { "language": "python", "name": "python3" } },
 "nbformat": 4,
 "nbformat_minor": 5
}
`;

describe('ptm-lens scan on notebooks', () => {
  test('JSON gives the .ipynb, the cell, the line within the cell and the range in the file', () => {
    const workspace = tempWorkspace({ 'notebooks/train.ipynb': NOTEBOOK, 'broken.ipynb': '{"cells": [' });
    try {
      const result = runCli(['scan', workspace.root, '--format', 'json', '--fail-on', 'never']);
      assert.equal(result.status, 0, result.stderr);
      const output: any = JSON.parse(result.stdout);
      assert.deepEqual(output.references, [
        {
          modelId: 'org/base-model',
          idSource: 'constant BASE',
          revision: null,
          file: 'notebooks/train.ipynb',
          cell: 2,
          line: 2,
          column: 35,
          endLine: 2,
          endColumn: 39,
          // Line 16 of the file: `    "model = AutoModel.from_pretrained(BASE, ...` (5 characters before the cell text).
          fileRegion: { line: 16, column: 40, endLine: 16, endColumn: 44 },
          language: 'python',
          loader: 'transformers.from_pretrained',
          options: { trust_remote_code: true },
        },
      ]);
      const lines = NOTEBOOK.split('\n');
      assert.equal(lines[15].slice(39, 43), 'BASE');
      assert.deepEqual(
        output.findings.map((f: { code: string; cell: number; line: number; column: number }) => [f.code, f.cell, f.line, f.column]),
        [['PTM402', 2, 2, 35], ['PTM401', 2, 2, 59]],
      );
      // The broken notebook is one note, and the rest of the folder was still scanned.
      assert.deepEqual(
        output.notes.filter((n: { file?: string }) => n.file === 'broken.ipynb').map((n: { message: string }) => n.message.replace(/\(.*\)/, '(...)')),
        ['not scanned: the notebook is not valid JSON (...)'],
      );
      const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'scan-output.schema.json'), 'utf8')));
      assert.ok(validate({ ...output }), JSON.stringify(validate.errors));
      // The schema holds the contract: a fileRegion without a cell is not valid.
      const { cell: _cell, ...withoutCell } = output.references[0];
      assert.equal(validate({ ...output, references: [withoutCell] }), false);
    } finally {
      workspace.dispose();
    }
  });

  test('a notebook over 5 MB of outputs is scanned; over 50 MB it is skipped with a note', () => {
    const plot = { output_type: 'display_data', data: { 'image/png': 'iVBOR'.repeat(1_300_000) }, metadata: {} };
    const withOutputs = (copies: number) =>
      JSON.stringify({
        cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, outputs: Array.from({ length: copies }, () => plot), source: ['from transformers import AutoModel\n', 'AutoModel.from_pretrained("org/plotted")'] }],
        metadata: {},
        nbformat: 4,
      });
    const workspace = tempWorkspace({ 'plots.ipynb': withOutputs(1), 'huge.ipynb': withOutputs(9) });
    try {
      const result = runCli(['scan', workspace.root, '--format', 'json', '--fail-on', 'never']);
      const output: any = JSON.parse(result.stdout);
      assert.deepEqual(output.references.map((r: { file: string; modelId: string }) => [r.file, r.modelId]), [['plots.ipynb', 'org/plotted']]);
      assert.deepEqual(output.notes.filter((n: { file?: string }) => n.file), [{ level: 'warning', message: 'skipped: larger than 50 MB.', file: 'huge.ipynb' }]);
    } finally {
      workspace.dispose();
    }
  });

  test('text output names the cell and the line within it', () => {
    const workspace = tempWorkspace({ 'train.ipynb': NOTEBOOK });
    try {
      const result = runCli(['scan', workspace.root, '--fail-on', 'never']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^train\.ipynb\[cell 2\]:2:35 warning PTM402 /m);
      assert.match(result.stdout, /1 model reference in 1 file/);
    } finally {
      workspace.dispose();
    }
  });

  test('SARIF points into the .ipynb text and carries the cell as a property', () => {
    const workspace = tempWorkspace({ 'train.ipynb': NOTEBOOK });
    try {
      const result = runCli(['scan', workspace.root, '--format', 'sarif', '--fail-on', 'never']);
      const sarif: any = JSON.parse(result.stdout);
      const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
      const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
      assert.ok(validate({ ...sarif }), JSON.stringify(validate.errors?.slice(0, 5)));
      const pinning = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'PTM402');
      assert.deepEqual(pinning.locations[0], {
        physicalLocation: { artifactLocation: { uri: 'train.ipynb', uriBaseId: '%SRCROOT%' }, region: { startLine: 16, startColumn: 40, endLine: 16, endColumn: 44 } },
        properties: { cell: 2, cellRegion: { startLine: 2, startColumn: 35, endLine: 2, endColumn: 39 } },
      });
    } finally {
      workspace.dispose();
    }
  });
});
