// Every rule, in code order. Adding a rule is adding its module here.
import type { Rule } from './rule';
import { trustRemoteCode } from './ptm401-trust-remote-code';
import { unpinnedRevision } from './ptm402-unpinned-revision';

export const RULES: readonly Rule[] = [trustRemoteCode, unpinnedRevision];

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code);
}
