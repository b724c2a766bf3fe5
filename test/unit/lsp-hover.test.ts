// The hover card: what the code says first and compact, then what the Hub says; the
// card score is the one PTM601 uses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptySettings } from '../../server/config/settings';
import type { ModelReference } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';
import { cardScoreOf, HubFacts } from '../../server/engine/model-facts';
import { FixtureHub, loadFixtureModels } from '../../server/hub/fixture';
import { hoverMarkdown } from '../../server/lsp/hover';
import { fixtureModelsDir } from '../fixtures/hub/server';

const NOW = Date.parse('2026-11-27T00:00:00Z');

async function references(code: string): Promise<{ text: string; references: ModelReference[] }> {
  const text = `from transformers import AutoModel, pipeline\nimport os\n${code}\n`;
  const { references } = await analyzeText(text, { relativePath: 'app.py', settings: emptySettings(), localCommit: () => undefined });
  return { text, references };
}

function hover(text: string, reference: ModelReference, facts?: Parameters<typeof hoverMarkdown>[1]): string {
  return hoverMarkdown(reference, facts, NOW, text.slice(reference.idSpan.start, reference.idSpan.end));
}

describe('hover card', () => {
  test('the code line comes right after the title: loader, id as written, revision, options', async () => {
    const { text, references: [reference] } = await references('MODEL = "org/model"\nm = AutoModel.from_pretrained(MODEL, revision="v1.0", trust_remote_code=True)');
    const value = hover(text, reference);
    const [title, codeLine] = value.split('\n\n');
    assert.equal(title, '**[org/model](https://huggingface.co/org/model)**');
    assert.equal(codeLine, '`transformers.from_pretrained` · id as `MODEL` (constant MODEL) · revision `v1.0` · `trust_remote_code=True`');
  });

  test('an unpinned literal and an unresolved id say so on the first lines', async () => {
    const { text, references: [literal, unresolved] } = await references('a = AutoModel.from_pretrained("org/model")\nb = AutoModel.from_pretrained(os.environ["MODEL"])');
    const [, line] = hover(text, literal).split('\n\n');
    assert.equal(line, '`transformers.from_pretrained` · revision not pinned (latest on the default branch)');
    const [title] = hover(text, unresolved).split('\n\n');
    assert.equal(title, '**Model id not known statically**: `os.environ["MODEL"]`');
  });

  test('Hub facts follow as a table; a renamed model shows the id as written; the card score is the one PTM601 reads', async () => {
    const facts = new HubFacts(new FixtureHub(loadFixtureModels(fixtureModelsDir())));
    const { text, references: [reference] } = await references('m = AutoModel.from_pretrained("gpt2")');
    const modelFacts = await facts.get('gpt2');
    const value = hover(text, reference, modelFacts);
    const [title, codeLine, table] = value.split('\n\n');
    assert.equal(title, '**[openai-community/gpt2](https://huggingface.co/openai-community/gpt2)** · written as `gpt2`');
    assert.match(codeLine, /^`transformers\.from_pretrained` · revision not pinned/);
    assert.match(table, /^\| Hub \| \|\n\|---\|---\|\n/);
    assert.match(table, /\| License \| mit \|/);
    const card = cardScoreOf(modelFacts)!;
    assert.ok(card && !card.noCard);
    assert.match(table, new RegExp(`\\| Model card \\| ${Math.round(card.score * 100)}/100`));
    assert.equal(cardScoreOf(modelFacts), card, 'computed once per facts');
  });

  test('a failed lookup shows its message; pipes and newlines cannot break the table', async () => {
    const { text, references: [reference] } = await references('m = AutoModel.from_pretrained("org/model")');
    const value = hover(text, reference, { info: { ok: false, error: { kind: 'network', message: 'could not | reach\nthe Hub' } } });
    assert.match(value, /\| Hub \| could not \\\| reach the Hub \|/);
  });
});
