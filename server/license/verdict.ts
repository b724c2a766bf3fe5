// The judgement: may a project under license P load (and ship with) a model under license M?
// Codes are the rule codes whose condition holds (PTM301-305); the verdict follows from
// them as docs/license.md describes. Expressions: for OR the most favourable branch decides,
// for AND every part must be acceptable.
import { leaves, render, type LicenseLeaf, type LicenseTree } from './expression';

export type IntendedUse = 'commercial' | 'non-commercial' | 'research';
export const INTENDED_USES: readonly IntendedUse[] = ['commercial', 'non-commercial', 'research'];

export type Verdict = 'compatible' | 'conditional' | 'unknown' | 'incompatible';
const ORDER: readonly Verdict[] = ['compatible', 'conditional', 'unknown', 'incompatible'];

export interface Judgement {
  verdict: Verdict;
  /** Rule codes that apply, sorted. */
  codes: string[];
  reasons: string[];
  /** The reason behind each code, for the rule that reports it. */
  details: { code: string; reason: string }[];
}

/** A base model's license, for PTM305 (a fine-tune carries the obligations of its base). */
export interface BaseLicense {
  modelId: string;
  tree?: LicenseTree;
}

export interface JudgeOptions {
  use?: IntendedUse;
  bases?: BaseLicense[];
  /** How to name the model in reasons (defaults to "the model"). */
  modelName?: string;
}

export function judge(model: LicenseTree | undefined, project: LicenseTree | undefined, options: JudgeOptions = {}): Judgement {
  const name = options.modelName ?? 'the model';
  const own = model ? judgeModelTree(model, project, options, name) : noLicense(name);
  const dropped = model ? droppedObligations(model, options.bases ?? [], name) : [];
  if (!dropped.length) return own;
  const details = [...own.details, ...dropped.map((reason) => ({ code: 'PTM305', reason }))];
  return finish([...own.codes, 'PTM305'], [...own.reasons, ...dropped], options.use, own.verdict, details);
}

function noLicense(name: string): Judgement {
  const reason = `${capital(name)} states no license: nobody may reuse it until its authors say under which terms.`;
  return { verdict: 'unknown', codes: ['PTM304'], reasons: [reason], details: [{ code: 'PTM304', reason }] };
}

function judgeModelTree(tree: LicenseTree, project: LicenseTree | undefined, options: JudgeOptions, name: string): Judgement {
  if ('leaf' in tree) return judgeProjectTree(tree.leaf, project, options, name);
  const left = judgeModelTree(tree.left, project, options, name);
  const right = judgeModelTree(tree.right, project, options, name);
  return combine(tree, left, right, `${name}'s license`, options.use);
}

function judgeProjectTree(model: LicenseLeaf, project: LicenseTree | undefined, options: JudgeOptions, name: string): Judgement {
  if (!project || 'leaf' in project) return judgePair(model, project?.leaf, options.use, name);
  const left = judgeProjectTree(model, project.left, options, name);
  const right = judgeProjectTree(model, project.right, options, name);
  return combine(project, left, right, 'the project license', options.use);
}

/** OR: the most favourable branch decides; AND: every part must hold. */
function combine(tree: Extract<LicenseTree, { conjunction: string }>, left: Judgement, right: Judgement, what: string, use?: IntendedUse): Judgement {
  if (tree.conjunction === 'and') return finish([...left.codes, ...right.codes], [...left.reasons, ...right.reasons], use, worse(left.verdict, right.verdict), [...left.details, ...right.details]);
  const leftFirst = rank(left) <= rank(right);
  const [best, branch] = leftFirst ? [left, tree.left] : [right, tree.right];
  const note = `Of ${what} "${render(tree)}", "${render(branch)}" is the most favourable choice and decides.`;
  return { ...best, reasons: [note, ...best.reasons] };
}

function rank(judgement: Judgement): number {
  return ORDER.indexOf(judgement.verdict) * 10 + judgement.codes.length;
}

function worse(a: Verdict, b: Verdict): Verdict {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/** The verdict the codes give, never better than `floor` (the verdict of parts already judged). */
function finish(codes: string[], reasons: string[], use?: IntendedUse, floor: Verdict = 'compatible', details: Judgement['details'] = []): Judgement {
  const unique = [...new Set(codes)].sort();
  const has = (code: string) => unique.includes(code);
  const verdict: Verdict =
    has('PTM301') || (has('PTM302') && use === 'commercial') ? 'incompatible'
    : has('PTM302') || has('PTM303') || has('PTM305') ? 'conditional'
    : has('PTM304') || has('unknown-project') ? 'unknown'
    : 'compatible';
  return { verdict: worse(verdict, floor), codes: unique.filter((c) => c.startsWith('PTM')), reasons: [...new Set(reasons)], details };
}

function judgePair(model: LicenseLeaf, project: LicenseLeaf | undefined, use: IntendedUse | undefined, name: string): Judgement {
  const m = model.entry;
  const codes: string[] = [];
  const reasons: string[] = [];
  const details: Judgement['details'] = [];
  const add = (code: string, reason: string) => {
    codes.push(code);
    reasons.push(reason);
    if (code.startsWith('PTM')) details.push({ code, reason });
  };
  const label = `${capital(name)} is under ${m.name} (${model.spdx})`;
  if (m.kind === 'unknown') {
    add('PTM304', `${label}, which does not say what you may do with it: ${m.obligations}. See ${m.url || 'the model card'}.`);
  }
  if (m.kind === 'strong-copyleft' || m.kind === 'network-copyleft') {
    const p = project?.entry;
    if (!project || !p || p.kind === 'unknown') {
      add('unknown-project', `${label} (${m.kind}): whether the project may use it depends on the project license, which is not known.`);
    } else if (!copyleftAccepts(model.spdx, project.spdx)) {
      add('PTM301', `${label}, a ${m.kind.replace('-', ' ')} license: a work that includes it must be released under ${copyleftTerms(model.spdx)}, which the project's ${project.spdx} license is not. See ${m.url}.`);
    } else {
      reasons.push(`${label}; the project's ${project.spdx} license meets its copyleft terms.`);
      if (m.kind === 'network-copyleft' && !/^AGPL-/.test(project.spdx)) reasons.push('Its network clause still applies to the model: offer its source to users who interact with it over a network.');
    }
  } else if (project && project.entry.kind !== 'unknown') {
    const clash = permissiveClash(model.spdx, project.spdx);
    if (clash) {
      add('PTM301', `${label}: ${clash} See ${m.url}.`);
    }
  }
  if (m.nonCommercial) {
    add('PTM302',
      use === 'commercial' ? `${label}, which forbids commercial use, and the project's intended use is commercial. See ${m.url}.`
      : use ? `${label}, which forbids commercial use; the project's intended use is ${use}, so keep every use of it non-commercial. See ${m.url}.`
      : `${label}, which forbids commercial use; the project's intended use is not set, so make sure no use is commercial (set intended-use). See ${m.url}.`,
    );
  }
  if (m.kind === 'use-restricted' || m.kind === 'community' || m.kind === 'gemma' || m.kind === 'custom' || m.noDerivatives) {
    add('PTM303', `${label}: ${m.obligations}. See ${m.url}.`);
  }
  if (!reasons.length) reasons.push(`${label}: ${m.obligations}.`);
  return finish(codes, reasons, use, 'compatible', details);
}

/** GNU-style version sets: which licenses a work under this id may be distributed under. */
function gnuOptions(spdx: string): Set<string> {
  const match = /^(AGPL|GPL)-(\d)\.0-(only|or-later)$/.exec(spdx) ?? /^(AGPL|GPL)-(\d)\.0(\+)?$/.exec(spdx);
  if (!match) return new Set();
  const [, family, major, range] = match;
  const latest = 3;
  const versions = range === 'only' || range === undefined ? [Number(major)] : Array.from({ length: latest - Number(major) + 1 }, (_, i) => Number(major) + i);
  return new Set(versions.map((v) => `${family}-${v}`));
}

/** True when a project under `project` may include a work under the copyleft license `model`. */
function copyleftAccepts(model: string, project: string): boolean {
  if (model === project) return true;
  const m = gnuOptions(model);
  const p = gnuOptions(project);
  if (m.size && p.size) {
    for (const option of m) if (p.has(option)) return true;
    // GPLv3 and AGPLv3 section 13 allow combining works under the two.
    return (m.has('GPL-3') && p.has('AGPL-3')) || (m.has('AGPL-3') && p.has('GPL-3'));
  }
  if (model.startsWith('EUPL-')) {
    // EUPL-1.1 appendix: licenses a derivative may be distributed under.
    return /^(EUPL-1\.[12]|GPL-2\.0-(only|or-later)|OSL-[23]\.|EPL-1\.0|CECILL-2\.0|CPL-1\.0)/.test(project);
  }
  return false;
}

function copyleftTerms(model: string): string {
  const options = [...gnuOptions(model)].map((o) => o.replace(/-(\d)$/, '-$1.0'));
  if (options.length) return options.length === 1 ? options[0] : `one of ${options.join(', ')}`;
  return model.startsWith('EUPL-') ? 'the EUPL or a license on its compatibility list' : model;
}

/** Non-copyleft model licenses that a GPL project still cannot take in (FSF license list). */
function permissiveClash(model: string, project: string): string | undefined {
  const p = gnuOptions(project);
  if (!p.size) return undefined;
  const gplv2Only = !p.has('GPL-3') && !p.has('AGPL-3');
  if (gplv2Only && /^(Apache-2\.0|ECL-2\.0)$/.test(model)) {
    return `its patent and indemnity terms are incompatible with ${project} (FSF); the project would need GPL-3.0 or "or later".`;
  }
  if (gplv2Only && /^LGPL-3\.0/.test(model)) return `LGPL-3.0 is GPL-3.0 with extra permissions and cannot be combined into ${project}.`;
  if (/^(EPL-1\.0|MS-PL)$/.test(model)) return `its terms are incompatible with the GPL (FSF), so ${project} cannot include it.`;
  return undefined;
}

/** PTM305: the model's own license drops obligations its base models impose. */
function droppedObligations(model: LicenseTree, bases: BaseLicense[], name: string): string[] {
  const reasons: string[] = [];
  const own = leaves(model).map((l) => l.entry);
  for (const base of bases) {
    if (!base.tree) continue;
    for (const b of leaves(base.tree)) {
      const e = b.entry;
      if (own.some((o) => o.spdx === e.spdx)) continue;
      const lost =
        e.noDerivatives ? `${e.name} forbids modified versions, yet ${name} is derived from it`
        : e.nonCommercial && !own.some((o) => o.nonCommercial) ? `${e.name} forbids commercial use, which the derived model's own license does not say`
        : STRICTNESS[e.kind] > Math.max(...own.map((o) => STRICTNESS[o.kind])) ? `${e.name} (${e.kind}) imposes obligations that the derived model's own license does not carry`
        : undefined;
      if (lost) reasons.push(`${capital(name)} is derived from '${base.modelId}' under ${b.spdx}: ${lost}. The base model's terms still apply. See ${e.url}.`);
    }
  }
  return reasons;
}

/** How much a license asks of its users; a base stricter than the derivative loses obligations. */
const STRICTNESS: Record<string, number> = {
  permissive: 0, proprietary: 0, 'weak-copyleft': 1, custom: 1, unknown: 0, 'strong-copyleft': 2, 'network-copyleft': 3,
  'use-restricted': 2, community: 2, gemma: 2, 'no-derivatives': 3, 'non-commercial': 3,
};

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
