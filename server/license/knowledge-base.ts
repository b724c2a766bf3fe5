// What each license means for a project that loads a model under it: its SPDX id (or a
// named LicenseRef- where SPDX has none), its kind, the obligations a developer must know,
// a link to its text, and where that classification comes from. Data only; verdict.ts judges.

export type LicenseKind =
  | 'permissive'
  | 'weak-copyleft'
  | 'strong-copyleft'
  | 'network-copyleft'
  | 'non-commercial'
  | 'no-derivatives'
  /** Responsible AI licenses (OpenRAIL family): use restrictions that must be passed on. */
  | 'use-restricted'
  /** Llama-style community licenses: user-count clause, naming and attribution, acceptable-use policy. */
  | 'community'
  /** Google's Gemma terms of use with their prohibited-use policy. */
  | 'gemma'
  /** "other" with a license of its own, named or linked. */
  | 'custom'
  /** A project's own closed license (never a Hub model license). */
  | 'proprietary'
  | 'unknown';

export const LICENSE_KINDS: readonly LicenseKind[] = [
  'permissive', 'weak-copyleft', 'strong-copyleft', 'network-copyleft', 'non-commercial', 'no-derivatives',
  'use-restricted', 'community', 'gemma', 'custom', 'proprietary', 'unknown',
];

export interface LicenseEntry {
  /** Id in the Hub's license list, if the Hub offers this license. */
  hubId?: string;
  /** SPDX license id, or LicenseRef-<name> where SPDX has none. */
  spdx: string;
  name: string;
  kind: LicenseKind;
  /** Forbids commercial use (a non-commercial kind, or a share-alike/no-derivatives license that also is NC). */
  nonCommercial?: boolean;
  /** Forbids distributing modified or fine-tuned versions. */
  noDerivatives?: boolean;
  /** What the project must do or must not do, in a developer's words. */
  obligations: string;
  /** The license text. */
  url: string;
  /** Where the kind comes from. */
  source: string;
}

const FSF = 'FSF license list, https://www.gnu.org/licenses/license-list.html';
const OSI = 'OSI approved licenses, https://opensource.org/licenses';
const CC = 'Creative Commons license deeds, https://creativecommons.org/licenses/';
const HUB = 'Hub license list, https://huggingface.co/docs/hub/repositories-licenses';
const RAIL = 'Responsible AI Licenses, https://www.licenses.ai/ (use restrictions in Attachment A must be included in downstream licenses)';
const spdxUrl = (id: string) => `https://spdx.org/licenses/${id}.html`;

const ATTRIBUTION = 'keep the copyright and license notice';
const PERMISSIVE = `permissive: ${ATTRIBUTION}`;

function spdx(hubId: string | undefined, id: string, name: string, kind: LicenseKind, obligations: string, source: string, extra: Partial<LicenseEntry> = {}): LicenseEntry {
  return { ...(hubId ? { hubId } : {}), spdx: id, name, kind, obligations, url: spdxUrl(id), source, ...extra };
}

function cc(hubId: string, version: string, flags: 'by' | 'by-sa' | 'by-nc' | 'by-nd' | 'by-nc-nd' | 'by-nc-sa'): LicenseEntry {
  const id = `CC-${flags.toUpperCase()}-${version}`;
  const nc = flags.includes('nc');
  const nd = flags.includes('nd');
  const sa = flags.includes('sa');
  const kind: LicenseKind = nc ? 'non-commercial' : nd ? 'no-derivatives' : sa ? 'weak-copyleft' : 'permissive';
  const rules = [
    'give credit to the authors',
    nc ? 'no commercial use' : '',
    nd ? 'no distribution of modified or fine-tuned versions' : '',
    sa ? 'adaptations (e.g. fine-tuned weights) must be shared under the same license' : '',
  ].filter(Boolean);
  return {
    hubId, spdx: id, name: `Creative Commons ${flags.toUpperCase()} ${version}`, kind, obligations: rules.join('; '),
    url: `https://creativecommons.org/licenses/${flags}/${version}/`, source: CC,
    ...(nc ? { nonCommercial: true } : {}), ...(nd ? { noDerivatives: true } : {}),
  };
}

const GPL_OBLIGATIONS = 'strong copyleft: a work that includes or links the model must be released under a compatible GPL version, with its source';
const AGPL_OBLIGATIONS = 'network copyleft: as the GPL, and users who interact with it over a network must be offered the source';
const LLAMA = 'community license: over 700 million monthly active users needs a separate license from Meta; follow the acceptable use policy and pass it on; attribution and naming rules apply';
const LLAMA3 = `${LLAMA} (display "Built with Llama"; names of derived models must begin with "Llama")`;

/** Every entry; each Hub id appears once (tests check that every Hub id has one). */
export const LICENSE_ENTRIES: readonly LicenseEntry[] = [
  // Permissive
  spdx('mit', 'MIT', 'MIT License', 'permissive', PERMISSIVE, OSI),
  spdx('apache-2.0', 'Apache-2.0', 'Apache License 2.0', 'permissive', `${PERMISSIVE}; state changes; patent grant (not compatible with GPL-2.0-only)`, FSF),
  spdx('afl-3.0', 'AFL-3.0', 'Academic Free License 3.0', 'permissive', PERMISSIVE, OSI),
  spdx('bsl-1.0', 'BSL-1.0', 'Boost Software License 1.0', 'permissive', PERMISSIVE, FSF),
  spdx('bsd-2-clause', 'BSD-2-Clause', 'BSD 2-Clause License', 'permissive', PERMISSIVE, FSF),
  spdx('bsd-3-clause', 'BSD-3-Clause', 'BSD 3-Clause License', 'permissive', `${PERMISSIVE}; no endorsement with the authors' names`, FSF),
  spdx('bsd-3-clause-clear', 'BSD-3-Clause-Clear', 'BSD 3-Clause Clear License', 'permissive', `${PERMISSIVE}; no patent grant`, FSF),
  spdx('bsd', 'BSD-3-Clause', 'BSD license (variant not stated; read as BSD-3-Clause)', 'permissive', PERMISSIVE, `${FSF}; every BSD variant the Hub may mean is permissive`),
  spdx('c-uda', 'C-UDA-1.0', 'Computational Use of Data Agreement 1.0', 'permissive', 'computational use allowed; results (such as trained models) are not restricted; redistributing the data needs the agreement', 'SPDX license text; https://github.com/microsoft/Computational-Use-of-Data-Agreement'),
  spdx('cc0-1.0', 'CC0-1.0', 'Creative Commons Zero 1.0 (public domain dedication)', 'permissive', 'public domain dedication: no conditions', CC),
  spdx('cdla-permissive-1.0', 'CDLA-Permissive-1.0', 'Community Data License Agreement Permissive 1.0', 'permissive', 'keep the agreement with shared data; results are not restricted', 'https://cdla.dev/'),
  spdx('cdla-permissive-2.0', 'CDLA-Permissive-2.0', 'Community Data License Agreement Permissive 2.0', 'permissive', 'keep the agreement text or a link with shared data; results are not restricted', 'https://cdla.dev/'),
  spdx('wtfpl', 'WTFPL', 'Do What The F*ck You Want To Public License', 'permissive', 'no conditions', FSF),
  spdx('ecl-2.0', 'ECL-2.0', 'Educational Community License 2.0', 'permissive', `${PERMISSIVE}; as Apache-2.0`, OSI),
  spdx('etalab-2.0', 'etalab-2.0', 'Etalab Open License 2.0', 'permissive', 'give credit to the source', 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/'),
  spdx('isc', 'ISC', 'ISC License', 'permissive', PERMISSIVE, FSF),
  spdx('lppl-1.3c', 'LPPL-1.3c', 'LaTeX Project Public License 1.3c', 'permissive', `${PERMISSIVE}; modified files must be renamed or clearly marked`, FSF),
  spdx('odc-by', 'ODC-By-1.0', 'Open Data Commons Attribution License 1.0', 'permissive', 'give credit to the database', 'https://opendatacommons.org/licenses/by/1-0/'),
  spdx('postgresql', 'PostgreSQL', 'PostgreSQL License', 'permissive', PERMISSIVE, OSI),
  spdx('ncsa', 'NCSA', 'University of Illinois/NCSA Open Source License', 'permissive', PERMISSIVE, FSF),
  spdx('unlicense', 'Unlicense', 'The Unlicense', 'permissive', 'public domain dedication: no conditions', FSF),
  spdx('zlib', 'Zlib', 'zlib License', 'permissive', 'altered versions must be marked as such', FSF),
  spdx('pddl', 'PDDL-1.0', 'Open Data Commons Public Domain Dedication and License 1.0', 'permissive', 'public domain dedication: no conditions', 'https://opendatacommons.org/licenses/pddl/'),
  { hubId: 'apple-ascl', spdx: 'LicenseRef-Apple-ASCL', name: 'Apple Sample Code License', kind: 'permissive', obligations: `${PERMISSIVE}; no endorsement with Apple's name`, url: 'https://developer.apple.com/support/downloads/terms/apple-sample-code-license/Apple-Sample-Code-License.pdf', source: `${HUB}; the license text grants use, modification and redistribution with notice` },
  cc('cc-by-2.0', '2.0', 'by'),
  cc('cc-by-2.5', '2.5', 'by'),
  cc('cc-by-3.0', '3.0', 'by'),
  cc('cc-by-4.0', '4.0', 'by'),
  // Weak copyleft: obligations on the model (or file) itself, not on the project that uses it
  spdx('artistic-2.0', 'Artistic-2.0', 'Artistic License 2.0', 'weak-copyleft', 'modified versions must be marked and made available or renamed', FSF),
  spdx('cdla-sharing-1.0', 'CDLA-Sharing-1.0', 'Community Data License Agreement Sharing 1.0', 'weak-copyleft', 'shared data (and changes to it) must stay under the same agreement; results are not restricted', 'https://cdla.dev/'),
  spdx('epl-1.0', 'EPL-1.0', 'Eclipse Public License 1.0', 'weak-copyleft', 'changes to the model must be published under EPL-1.0; not compatible with the GPL', FSF),
  spdx('epl-2.0', 'EPL-2.0', 'Eclipse Public License 2.0', 'weak-copyleft', 'changes to the model must be published under EPL-2.0; GPL-compatible only with a secondary-license notice', FSF),
  spdx('gfdl', 'GFDL-1.1-or-later', 'GNU Free Documentation License (version not stated: any version)', 'weak-copyleft', 'copies and modified versions stay under the GFDL', `${FSF}; an unversioned GFDL notice lets the recipient choose any published version`),
  spdx('lgpl', 'LGPL-2.0-or-later', 'GNU Lesser General Public License (version not stated: any version)', 'weak-copyleft', 'changes to the model itself must be released under the LGPL; users must be able to replace it', `${FSF}; an unversioned notice lets the recipient choose any published version`),
  spdx('lgpl-2.1', 'LGPL-2.1-only', 'GNU Lesser General Public License 2.1', 'weak-copyleft', 'changes to the model itself must be released under the LGPL; users must be able to replace it', `${FSF}; the Hub id does not say "or later", read as -only (the narrower grant)`),
  spdx('lgpl-3.0', 'LGPL-3.0-only', 'GNU Lesser General Public License 3.0', 'weak-copyleft', 'changes to the model itself must be released under the LGPL; users must be able to replace it', `${FSF}; the Hub id does not say "or later", read as -only (the narrower grant)`),
  spdx('lgpl-lr', 'LGPLLR', 'Lesser General Public License For Linguistic Resources', 'weak-copyleft', 'changes to the linguistic resource must stay under the LGPLLR', 'SPDX license text'),
  spdx('ms-pl', 'MS-PL', 'Microsoft Public License', 'weak-copyleft', 'source distribution of the model only under MS-PL; not compatible with the GPL', FSF),
  spdx('mpl-2.0', 'MPL-2.0', 'Mozilla Public License 2.0', 'weak-copyleft', 'changed files of the model must be published under MPL-2.0', FSF),
  spdx('odbl', 'ODbL-1.0', 'Open Data Commons Open Database License 1.0', 'weak-copyleft', 'adapted databases must be shared alike; produced works need a notice', 'https://opendatacommons.org/licenses/odbl/'),
  spdx('ofl-1.1', 'OFL-1.1', 'SIL Open Font License 1.1', 'weak-copyleft', 'modified fonts stay under the OFL and are renamed', FSF),
  cc('cc-by-sa-3.0', '3.0', 'by-sa'),
  cc('cc-by-sa-4.0', '4.0', 'by-sa'),
  // Strong and network copyleft
  spdx('gpl', 'GPL-1.0-or-later', 'GNU General Public License (version not stated: any version)', 'strong-copyleft', GPL_OBLIGATIONS, `${FSF}; an unversioned notice lets the recipient choose any published version`),
  spdx('gpl-2.0', 'GPL-2.0-only', 'GNU General Public License 2.0', 'strong-copyleft', GPL_OBLIGATIONS, `${FSF}; the Hub id does not say "or later", read as -only (the narrower grant)`),
  spdx('gpl-3.0', 'GPL-3.0-only', 'GNU General Public License 3.0', 'strong-copyleft', GPL_OBLIGATIONS, `${FSF}; the Hub id does not say "or later", read as -only (the narrower grant)`),
  spdx('eupl-1.1', 'EUPL-1.1', 'European Union Public License 1.1', 'strong-copyleft', 'strong copyleft: derivative works must be released under the EUPL or a license on its compatibility list', 'https://joinup.ec.europa.eu/collection/eupl'),
  spdx('agpl-3.0', 'AGPL-3.0-only', 'GNU Affero General Public License 3.0', 'network-copyleft', AGPL_OBLIGATIONS, `${FSF}; the Hub id does not say "or later", read as -only (the narrower grant)`),
  spdx('osl-3.0', 'OSL-3.0', 'Open Software License 3.0', 'network-copyleft', 'network copyleft: derivative works, also deployed as a service, must be released under OSL-3.0', FSF),
  // Non-commercial and no-derivatives
  cc('cc-by-nc-2.0', '2.0', 'by-nc'),
  cc('cc-by-nc-3.0', '3.0', 'by-nc'),
  cc('cc-by-nc-4.0', '4.0', 'by-nc'),
  cc('cc-by-nc-nd-3.0', '3.0', 'by-nc-nd'),
  cc('cc-by-nc-nd-4.0', '4.0', 'by-nc-nd'),
  cc('cc-by-nc-sa-2.0', '2.0', 'by-nc-sa'),
  cc('cc-by-nc-sa-3.0', '3.0', 'by-nc-sa'),
  cc('cc-by-nc-sa-4.0', '4.0', 'by-nc-sa'),
  cc('cc-by-nd-4.0', '4.0', 'by-nd'),
  { hubId: 'deepfloyd-if-license', spdx: 'LicenseRef-DeepFloyd-IF', name: 'DeepFloyd IF License Agreement', kind: 'non-commercial', nonCommercial: true, obligations: 'non-commercial research use only; use restrictions must be passed on', url: 'https://huggingface.co/spaces/DeepFloyd/deepfloyd-if-license', source: `${HUB}; the agreement grants a non-commercial research license` },
  { hubId: 'apple-amlr', spdx: 'LicenseRef-Apple-AMLR', name: 'Apple Machine Learning Research Model License', kind: 'non-commercial', nonCommercial: true, obligations: 'research use only: no commercial use or product use', url: 'https://huggingface.co/docs/hub/repositories-licenses', source: `${HUB}; the license grants use for non-commercial scientific research only` },
  // Responsible AI licenses (use restrictions passed on)
  { hubId: 'openrail', spdx: 'LicenseRef-OpenRAIL', name: 'Open RAIL License', kind: 'use-restricted', obligations: 'use restrictions: the listed harmful uses are forbidden and the restrictions must be passed on to anyone you give the model or its outputs service to', url: 'https://www.licenses.ai/blog/2022/8/26/bigscience-open-rail-m-license', source: RAIL },
  { hubId: 'openrail++', spdx: 'LicenseRef-OpenRAIL-PlusPlus', name: 'CreativeML Open RAIL++-M License', kind: 'use-restricted', obligations: 'use restrictions (Attachment A) must be passed on in your own license terms; modified weights carry them too', url: 'https://huggingface.co/stabilityai/stable-diffusion-2/blob/main/LICENSE-MODEL', source: RAIL },
  { hubId: 'creativeml-openrail-m', spdx: 'LicenseRef-CreativeML-OpenRAIL-M', name: 'CreativeML Open RAIL-M License', kind: 'use-restricted', obligations: 'use restrictions (Attachment A) must be passed on in your own license terms; modified weights carry them too', url: 'https://huggingface.co/spaces/CompVis/stable-diffusion-license', source: RAIL },
  { hubId: 'bigscience-openrail-m', spdx: 'LicenseRef-BigScience-OpenRAIL-M', name: 'BigScience Open RAIL-M License', kind: 'use-restricted', obligations: 'use restrictions (Attachment A) must be passed on in your own license terms; modified weights carry them too', url: 'https://bigscience.huggingface.co/blog/bigscience-openrail-m', source: RAIL },
  { hubId: 'bigscience-bloom-rail-1.0', spdx: 'LicenseRef-BigScience-BLOOM-RAIL-1.0', name: 'BigScience BLOOM RAIL License 1.0', kind: 'use-restricted', obligations: 'use restrictions (Attachment A) must be passed on in your own license terms; modified weights carry them too', url: 'https://huggingface.co/spaces/bigscience/license', source: RAIL },
  { hubId: 'bigcode-openrail-m', spdx: 'LicenseRef-BigCode-OpenRAIL-M', name: 'BigCode Open RAIL-M License', kind: 'use-restricted', obligations: 'use restrictions (Attachment A) must be passed on in your own license terms; modified weights carry them too', url: 'https://huggingface.co/spaces/bigcode/bigcode-model-license-agreement', source: RAIL },
  // Community licenses and model-specific terms
  { hubId: 'llama2', spdx: 'LicenseRef-Llama-2-Community', name: 'Llama 2 Community License Agreement', kind: 'community', obligations: `${LLAMA}; outputs may not be used to improve other large language models`, url: 'https://ai.meta.com/llama/license/', source: `${HUB}; license text sections 1(b), 2 and the acceptable use policy` },
  { hubId: 'llama3', spdx: 'LicenseRef-Llama-3-Community', name: 'Meta Llama 3 Community License Agreement', kind: 'community', obligations: LLAMA3, url: 'https://llama.meta.com/llama3/license/', source: `${HUB}; license text sections 1(b), 2 and the acceptable use policy` },
  { hubId: 'llama3.1', spdx: 'LicenseRef-Llama-3.1-Community', name: 'Llama 3.1 Community License Agreement', kind: 'community', obligations: LLAMA3, url: 'https://llama.meta.com/llama3_1/license/', source: `${HUB}; license text sections 1(b), 2 and the acceptable use policy` },
  { hubId: 'llama3.2', spdx: 'LicenseRef-Llama-3.2-Community', name: 'Llama 3.2 Community License Agreement', kind: 'community', obligations: `${LLAMA3}; the multimodal models' rights are not granted to people domiciled in the EU`, url: 'https://www.llama.com/llama3_2/license/', source: `${HUB}; license text sections 1(b), 2 and the acceptable use policy` },
  { hubId: 'llama3.3', spdx: 'LicenseRef-Llama-3.3-Community', name: 'Llama 3.3 Community License Agreement', kind: 'community', obligations: LLAMA3, url: 'https://www.llama.com/llama3_3/license/', source: `${HUB}; license text sections 1(b), 2 and the acceptable use policy` },
  { hubId: 'llama4', spdx: 'LicenseRef-Llama-4-Community', name: 'Llama 4 Community License Agreement', kind: 'community', obligations: LLAMA3, url: 'https://www.llama.com/llama4/license/', source: `${HUB}; license text sections 1(b), 2 and the acceptable use policy` },
  { hubId: 'gemma', spdx: 'LicenseRef-Gemma', name: 'Gemma Terms of Use', kind: 'gemma', obligations: 'follow the Gemma prohibited use policy and pass the use restrictions on to everyone you distribute the model or a derivative to; keep the notice', url: 'https://ai.google.dev/gemma/terms', source: 'Gemma Terms of Use, https://ai.google.dev/gemma/terms (section 3.1 and the prohibited use policy)' },
  // Licenses the Hub cannot name precisely
  { hubId: 'cc', spdx: 'LicenseRef-Creative-Commons-Unspecified', name: 'Creative Commons (which license is not stated)', kind: 'unknown', obligations: 'the Creative Commons licenses range from public domain to non-commercial no-derivatives: the card does not say which applies', url: 'https://creativecommons.org/licenses/', source: `${HUB}; ${CC}` },
  { hubId: 'other', spdx: 'LicenseRef-Other', name: 'Other license (see the model card)', kind: 'unknown', obligations: 'a license of its own: read it', url: 'https://huggingface.co/docs/hub/repositories-licenses', source: HUB },
  { hubId: 'unknown', spdx: 'LicenseRef-Unknown', name: 'Unknown license', kind: 'unknown', obligations: 'no license is stated: by default nobody may copy or use the weights', url: 'https://huggingface.co/docs/hub/repositories-licenses', source: HUB },
  // Project-side only: a closed project (npm's "UNLICENSED", or "proprietary" in a config key)
  { spdx: 'LicenseRef-Proprietary', name: 'Proprietary (all rights reserved)', kind: 'proprietary', obligations: 'the project is not released under an open license', url: 'https://docs.npmjs.com/cli/configuring-npm/package-json#license', source: 'npm package.json "UNLICENSED" convention' },
];

const byHubId = new Map<string, LicenseEntry>();
const bySpdx = new Map<string, LicenseEntry>();
for (const entry of LICENSE_ENTRIES) {
  if (entry.hubId) byHubId.set(entry.hubId, entry);
  if (!bySpdx.has(entry.spdx.toLowerCase())) bySpdx.set(entry.spdx.toLowerCase(), entry);
}

export function entryByHubId(id: string): LicenseEntry | undefined {
  return byHubId.get(id.trim().toLowerCase());
}

export function entryBySpdx(id: string): LicenseEntry | undefined {
  return bySpdx.get(id.trim().toLowerCase());
}
