// A model's license as its card states it (card data `license`, `license_name` and
// `license_link` for "other", or `license:` tags), its base chain, and the judgement against
// the project: what the PTM301-305 rules and the license report share.
import type { BaseModelFact, ModelFacts } from '../core/model-facts';
import type { ProjectFacts } from '../core/project-facts';
import type { ModelInfo } from '../hub/types';
import { parseLicense, printable, type LicenseTree } from './expression';
import { entryByHubId, type LicenseEntry } from './knowledge-base';
import { judge, type BaseLicense, type Judgement } from './verdict';

const HUB = 'https://huggingface.co';

export interface ModelLicense {
  /** As the card states it (ids joined with " AND " when it lists several); absent when it states none. */
  declared?: string;
  tree?: LicenseTree;
  /** The SPDX expression, when the license could be read. */
  spdx?: string;
  /** Why the stated license could not be read (odd characters, unknown id). */
  problem?: string;
}

/** Reads the license of one model from its Hub info. */
export function modelLicense(info: ModelInfo): ModelLicense {
  const card = info.cardData ?? {};
  const fromCard = typeof card.license === 'string' ? [card.license] : Array.isArray(card.license) ? card.license : [];
  const ids = fromCard.length ? fromCard : info.tags.filter((t) => t.startsWith('license:')).map((t) => t.slice('license:'.length));
  const cleaned = [...new Set(ids.map((id) => id.trim()).filter(Boolean))];
  if (!cleaned.length) return {};
  const declared = cleaned.join(' AND ');
  if (cleaned.length === 1 && cleaned[0].toLowerCase() === 'other') return otherLicense(info, declared);
  const parsed = parseLicense(cleaned.length > 1 ? cleaned.map((id) => `(${id})`).join(' AND ') : cleaned[0]);
  if (parsed.ok) return { declared, tree: parsed.tree, spdx: parsed.spdx };
  const unknown = entryByHubId('unknown')!;
  const entry: LicenseEntry = { ...unknown, name: `"${printable(declared)}" (not a license id PTM Lens knows)`, obligations: `the card's license could not be read (${parsed.problem})` };
  return { declared, tree: { leaf: { spdx: unknown.spdx, entry } }, problem: parsed.problem };
}

/** "other": a named license (sometimes a known one, e.g. license_name: llama3) or one of its own. */
function otherLicense(info: ModelInfo, declared: string): ModelLicense {
  const name = info.cardData?.license_name?.trim();
  const link = readableLink(info);
  if (name) {
    const known = parseLicense(name);
    if (known.ok && !known.spdx.startsWith('LicenseRef-Other')) return { declared: `other (${name})`, tree: known.tree, spdx: known.spdx };
  }
  const other = entryByHubId('other')!;
  if (!link) {
    const entry: LicenseEntry = { ...other, obligations: `the card says "other"${name ? ` ("${printable(name)}")` : ''} without a readable license link: there is no text to follow` };
    return { declared: name ? `other (${name})` : declared, tree: { leaf: { spdx: other.spdx, entry } } };
  }
  const ref = `LicenseRef-${(name ?? 'custom').replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'custom'}`;
  const entry: LicenseEntry = {
    spdx: ref,
    name: name ? `"${printable(name)}"` : 'a license of its own',
    kind: 'custom',
    obligations: 'a license of its own: read it and follow and pass on what it requires',
    url: link,
    source: `model card of ${info.canonicalId}`,
  };
  return { declared: name ? `other (${name})` : declared, tree: { leaf: { spdx: ref, entry } }, spdx: ref };
}

/** license_link as a URL a person can open: absolute http(s), or a file the repository has. */
function readableLink(info: ModelInfo): string | undefined {
  const link = info.cardData?.license_link?.trim();
  if (!link) return undefined;
  if (/^https?:\/\/[^\s]+$/i.test(link)) return link;
  const file = link.replace(/^\.?\//, '');
  if (info.siblings.some((s) => s.rfilename === file)) return `${HUB}/${info.canonicalId}/blob/main/${file.split('/').map(encodeURIComponent).join('/')}`;
  return undefined;
}

export interface BaseChainEntry {
  modelId: string;
  childId: string;
  depth: number;
  license?: ModelLicense;
  /** Why the chain stops here or the base could not be read. */
  note?: string;
}

/** The base chain with each base model's license. */
export function baseChain(baseModels: BaseModelFact[] | undefined): BaseChainEntry[] {
  return (baseModels ?? []).map((base) => {
    const entry: BaseChainEntry = { modelId: base.modelId, childId: base.childId, depth: base.depth };
    if (base.stop === 'repeated') entry.note = 'met before in the chain (not followed again)';
    else if (base.stop === 'too-deep') entry.note = 'the chain is deeper than PTM Lens follows';
    else if (base.stop === 'invalid-id') entry.note = 'not a Hub model id';
    else if (base.info && !base.info.ok) entry.note = base.info.error.message;
    else if (base.info?.ok && !base.info.value.partial) entry.license = modelLicense(base.info.value);
    return entry;
  });
}

export interface LicenseAssessment {
  license: ModelLicense;
  bases: BaseChainEntry[];
  judgement: Judgement;
}

const memo = new WeakMap<ModelFacts, Map<string, LicenseAssessment | undefined>>();

/** The judgement for a model the project loads; undefined when the Hub facts cannot tell. */
export function assessModel(facts: ModelFacts | undefined, project: ProjectFacts | undefined): LicenseAssessment | undefined {
  if (!facts) return undefined;
  const key = `${project?.license?.spdx ?? ''}|${project?.intendedUse ?? ''}`;
  let byProject = memo.get(facts);
  if (!byProject) memo.set(facts, (byProject = new Map()));
  if (byProject.has(key)) return byProject.get(key);
  const result = assess(facts, project);
  byProject.set(key, result);
  return result;
}

function assess(facts: ModelFacts, project: ProjectFacts | undefined): LicenseAssessment | undefined {
  const info = facts.info;
  // Partial info (from the local Hugging Face cache) does not know the license: say nothing.
  if (!info.ok || info.value.partial) return undefined;
  const license = modelLicense(info.value);
  const bases = baseChain(facts.baseModels);
  const projectTree = project?.license ? parseLicense(project.license.spdx) : undefined;
  const baseLicenses: BaseLicense[] = bases.filter((b) => b.license?.tree).map((b) => ({ modelId: b.modelId, tree: b.license!.tree }));
  const judgement = judge(license.tree, projectTree?.ok ? projectTree.tree : undefined, {
    use: project?.intendedUse,
    bases: baseLicenses,
    modelName: `'${info.value.canonicalId}'`,
  });
  return { license, bases, judgement };
}

/** The reasons behind one code, joined for a diagnostic. */
export function reasonsFor(assessment: LicenseAssessment, code: string): string[] {
  return [...new Set(assessment.judgement.details.filter((d) => d.code === code).map((d) => d.reason))];
}
