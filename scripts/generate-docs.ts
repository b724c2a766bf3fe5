// Writes docs/rules/*.md from the rule modules (the single source of rule docs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/rules';
import { ruleDocsPage, ruleIndexPage } from '../server/rules/docs-page';
import { loadersPage } from '../server/scan/loaders-doc';

const dir = join(__dirname, '..', '..', 'docs', 'rules');
mkdirSync(dir, { recursive: true });
for (const rule of RULES) writeFileSync(join(dir, `${rule.code}.md`), ruleDocsPage(rule));
writeFileSync(join(dir, 'README.md'), ruleIndexPage(RULES));
console.log(`Wrote ${RULES.length} rule pages to ${dir}`);
writeFileSync(join(__dirname, '..', '..', 'docs', 'loaders.md'), loadersPage());
