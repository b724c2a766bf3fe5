// The hover card's license check row: the verdict against the project license and the
// base-model chain, computed here so the surface only shows it.
import type { ModelFacts } from '../core/model-facts';
import type { ProjectFacts } from '../core/project-facts';
import { assessModel } from '../license/model-license';

export function licenseHoverRows(facts: ModelFacts | undefined, project: ProjectFacts | undefined): [string, string][] {
  const assessment = assessModel(facts, project);
  if (!assessment) return [];
  const { judgement, license, bases } = assessment;
  const against = project?.license ? `against the project's ${project.license.spdx}` : 'project license not known';
  const codes = judgement.codes.length ? ` (${judgement.codes.join(', ')})` : '';
  const spdx = license.spdx && license.spdx !== license.declared ? `${license.spdx}: ` : '';
  const rows: [string, string][] = [['License check', `${spdx}**${judgement.verdict}**${codes}, ${against}`]];
  if (bases.length) {
    const chain = bases.map((b) => `\`${b.modelId}\` (${b.license?.declared ?? b.note ?? 'no license'})`).join(' → ');
    rows.push(['Base chain', chain]);
  }
  return rows;
}
