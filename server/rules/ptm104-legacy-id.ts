import { canonicalForLegacyId } from '../knowledge/legacy-ids';
import type { Rule } from './rule';
import { describeModel } from './describe';
import { replaceIdFix } from './fixes/replace-id';

export const legacyId: Rule = {
  code: 'PTM104',
  name: 'legacy-model-id',
  title: 'Legacy or renamed model id',
  defaultSeverity: 'info',
  scope: 'model',
  docs: {
    what: 'Flags ids the Hub still accepts but now answers under another name: legacy ids without an owner, and renamed or moved repositories.',
    why:
      'The old name works through a redirect that can end, and it hides who publishes the model. The canonical id says which ' +
      'organisation you trust, and it is the name that licenses, model cards and security advisories use.',
    example: 'model = AutoModel.from_pretrained("bert-base-uncased")',
    useInstead: 'model = AutoModel.from_pretrained("google-bert/bert-base-uncased")',
    fixSafety: 'Safe: the quick fix writes the id the Hub itself reports for the same repository (offline, the id from the list of 68 legacy ids the Hub moved under an owner).',
  },
  check({ reference, text, facts }) {
    const info = facts?.info;
    if (!reference.modelId) return [];
    // The Hub's answer when there is one; else the known list of moved ids (offline, no Hub,
    // a local snapshot that keeps the old name).
    const canonical = info?.ok && info.value.renamed ? info.value.canonicalId : canonicalForLegacyId(reference.modelId);
    if (!canonical) return [];
    const fix = replaceIdFix(reference, text, canonical, `Use the canonical id '${canonical}'`, true);
    // describeModel already names where an overridable id comes from.
    const where = reference.idSource && !reference.idOverridable ? ` (the id comes from ${reference.idSource})` : '';
    return [{ message: `${describeModel(reference)} is a legacy id; the Hub now names this model '${canonical}'${where}.`, fixes: fix ? [fix] : [] }];
  },
};
