import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ruleDocsUrl } from '../../server/core/links';
import { RULES } from '../../server/rules';
import { ruleDocsPage, ruleIndexPage } from '../../server/rules/docs-page';

const DOCS = join(__dirname, '..', '..', '..', 'docs', 'rules');

test('every rule has complete docs and a unique code and name', () => {
  assert.equal(new Set(RULES.map((r) => r.code)).size, RULES.length);
  assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length);
  for (const rule of RULES) {
    assert.match(rule.code, /^PTM[1-6]\d\d$/);
    assert.match(rule.name, /^[a-z]+(-[a-z]+)*$/);
    for (const [section, text] of Object.entries(rule.docs)) assert.ok(text.trim().length > 20, `${rule.code} docs.${section} is too thin`);
  }
});

test('docs/rules is generated from the rule modules and up to date (run `npm run docs`)', () => {
  for (const rule of RULES) assert.equal(readFileSync(join(DOCS, `${rule.code}.md`), 'utf8'), ruleDocsPage(rule), `${rule.code}.md is stale`);
  assert.equal(readFileSync(join(DOCS, 'README.md'), 'utf8'), ruleIndexPage(RULES));
});

test('diagnostic links point at the generated pages', () => {
  for (const rule of RULES) assert.ok(ruleDocsUrl(rule.code).endsWith(`docs/rules/${rule.code}.md`));
});
