// Quick fixes as the editor receives them, from a real analysis of real code.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TextEdit } from 'vscode-languageserver';
import { emptySettings } from '../../server/config/settings';
import { LineIndex } from '../../server/core/positions';
import { analyzeText } from '../../server/engine/analyze';
import { codeActionsFor } from '../../server/lsp/code-actions';
import { toDiagnostic } from '../../server/lsp/convert';
import type { AnalysisEntry } from '../../server/lsp/document-analyses';

const URI = 'file:///project/app.py';
const SHA = '86b5e0934494bd15c9632b12f734a8a67f723594';

async function entry(text: string, localCommit: (id: string) => string | undefined = () => undefined): Promise<AnalysisEntry> {
  const analysis = await analyzeText(text, { relativePath: 'app.py', settings: emptySettings(), localCommit });
  return { uri: URI, version: 4, text, lines: new LineIndex(text), ...analysis };
}

/** The text after applying plain edits (as the editor would). */
function apply(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return [...edits]
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start)
    .reduce((out, e) => out.slice(0, e.start) + e.newText + out.slice(e.end), text);
}

const TWO = 'from transformers import AutoModel\na = AutoModel.from_pretrained("org/a")\nb = AutoModel.from_pretrained("org/b", trust_remote_code=True)\n';

describe('code actions', () => {
  test('the diagnostics in the request choose the findings; each gets its fixes, then an ignore', async () => {
    const e = await entry(TWO, (id) => (id === 'org/b' ? SHA : undefined));
    const trust = e.findings.find((f) => f.code === 'PTM401')!;
    const pin = e.findings.find((f) => f.code === 'PTM402' && f.modelId === 'org/b')!;
    const actions = codeActionsFor(e, { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, [toDiagnostic(e.lines, pin)], { snippetEdits: false });
    assert.deepEqual(actions.map((a) => a.title), [`Pin revision to ${SHA.slice(0, 12)} (from the local Hugging Face cache)`, 'Ignore PTM402 on this line']);
    assert.equal(actions[0].isPreferred, true);
    assert.equal(apply(TWO, actions[0].edit!.changes![URI]).split('\n')[2], `b = AutoModel.from_pretrained("org/b", trust_remote_code=True, revision="${SHA}")`);
    assert.equal(apply(TWO, actions[1].edit!.changes![URI]).split('\n')[2], 'b = AutoModel.from_pretrained("org/b", trust_remote_code=True)  # ptm-lens: ignore[PTM402]');
    // Without diagnostics in the request, the range decides.
    const onLineB = codeActionsFor(e, { start: { line: 2, character: 0 }, end: { line: 2, character: 200 } }, [], { snippetEdits: false });
    assert.ok(onLineB.some((a) => a.title === 'Ignore PTM401 on this line'));
    assert.ok(!onLineB.some((a) => a.diagnostics![0].range.start.line === 1), 'nothing from line a');
    assert.ok(trust);
  });

  test('an ignore directive already on the line is extended, not repeated', async () => {
    const text = 'from transformers import AutoModel\nb = AutoModel.from_pretrained("org/b", trust_remote_code=True)  # ptm-lens: ignore[PTM401]\n';
    const e = await entry(text);
    const pin = e.findings.find((f) => f.code === 'PTM402')!;
    const [, ignore] = codeActionsFor(e, toDiagnostic(e.lines, pin).range, [toDiagnostic(e.lines, pin)], { snippetEdits: false });
    assert.equal(apply(text, ignore.edit!.changes![URI]).split('\n')[1], 'b = AutoModel.from_pretrained("org/b", trust_remote_code=True)  # ptm-lens: ignore[PTM401, PTM402]');
  });

  test('a fix with a placeholder is a snippet for editors that take them, plain text with <...> for others', async () => {
    const text = 'from transformers import AutoModel\na = AutoModel.from_pretrained("org/a")\n';
    const e = await entry(text);
    const diagnostic = toDiagnostic(e.lines, e.findings[0]);
    const [plain] = codeActionsFor(e, diagnostic.range, [diagnostic], { snippetEdits: false });
    assert.equal(plain.title, 'Pin revision to a commit sha (fill in the sha)');
    assert.equal(apply(text, plain.edit!.changes![URI]).split('\n')[1], 'a = AutoModel.from_pretrained("org/a", revision="<commit-sha>")');
    const [snippet] = codeActionsFor(e, diagnostic.range, [diagnostic], { snippetEdits: true });
    const change = snippet.edit!.documentChanges![0] as unknown as { textDocument: { uri: string; version: number }; edits: { snippet: { value: string } }[] };
    assert.deepEqual(change.textDocument, { uri: URI, version: 4 });
    assert.equal(change.edits[0].snippet.value, ', revision="${1:commit-sha}"');
  });
});
