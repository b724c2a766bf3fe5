// How the naming rules (PTM201-205) turn an assessment into a report: the model named first,
// then the mismatch's one sentence, at the severity the evidence supports.
// The naming tables load on the first reference a naming rule sees (scans of trees without loads never do).
import type { NamingCode } from '../naming/assess';
import type { RuleContext, RuleReport } from './rule';
import { loadOnce } from '../core/load-once';

const namingModule = loadOnce((): typeof import('../naming/assess') => require('../naming/assess'));

export function namingReports(code: NamingCode, { reference, facts }: RuleContext): RuleReport[] {
  // Without Hub facts there is nothing to compare the name with (assessName says so too): the tables stay unloaded.
  if (!reference.modelId || !facts) return [];
  const mismatch = namingModule().assessName(facts)?.mismatches[code];
  if (!mismatch) return [];
  const id = facts?.info.ok ? facts.info.value.canonicalId : reference.modelId;
  return [{ message: `'${id}': ${mismatch.message}`, severity: mismatch.severity }];
}
