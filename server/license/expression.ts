// Turns what people write for a license (a Hub id such as "llama3.1", an SPDX id in any
// case, a deprecated SPDX id such as "GPL-3.0+", or an expression "MIT OR Apache-2.0")
// into an SPDX expression tree whose leaves carry their knowledge-base entry.
import parseSpdx from 'spdx-expression-parse';
import spdxIds from 'spdx-license-ids/index.json';
import deprecatedIds from 'spdx-license-ids/deprecated.json';
import { entryByHubId, entryBySpdx, type LicenseEntry, type LicenseKind } from './knowledge-base';

export interface LicenseLeaf {
  /** SPDX id or LicenseRef- as it appears in the normalised expression. */
  spdx: string;
  entry: LicenseEntry;
  /** An SPDX exception (`WITH Classpath-exception-2.0`), if any. */
  exception?: string;
}

export type LicenseTree = { leaf: LicenseLeaf } | { conjunction: 'and' | 'or'; left: LicenseTree; right: LicenseTree };

export type Parsed = { ok: true; tree: LicenseTree; spdx: string } | { ok: false; problem: string };

const MAX_LENGTH = 1000;
const canonical = new Map<string, string>([...spdxIds, ...deprecatedIds].map((id) => [id.toLowerCase(), id]));
/** npm and config files say these for a closed project. */
const PROPRIETARY = new Set(['unlicensed', 'proprietary', 'licenseref-proprietary', 'all rights reserved', 'closed', 'commercial']);

/** Deprecated GNU ids ("GPL-3.0", "GPL-3.0+") to today's "-only" / "-or-later" ids. */
function modernGnuId(id: string, plus: boolean): string {
  const match = /^(A?GPL|LGPL|GFDL)-(\d\.\d)(\+)?$/i.exec(id);
  if (!match) return id;
  return `${match[1].toUpperCase()}-${match[2]}-${plus || match[3] ? 'or-later' : 'only'}`;
}

/** One token to an SPDX id, or undefined when it names no license we know of. */
function mapToken(token: string): string | undefined {
  const lower = token.toLowerCase();
  const hub = entryByHubId(lower);
  if (hub) return hub.spdx;
  if (PROPRIETARY.has(lower)) return 'LicenseRef-Proprietary';
  if (lower.startsWith('licenseref-')) return token;
  const plus = lower.endsWith('+');
  const base = canonical.get(plus ? lower.slice(0, -1) : lower);
  if (!base) return undefined;
  const modern = modernGnuId(base, plus);
  return modern !== base || !plus ? modern : `${base}+`;
}

export function parseLicense(text: string): Parsed {
  const input = text.trim();
  if (!input) return { ok: false, problem: 'the license is empty' };
  if (input.length > MAX_LENGTH) return { ok: false, problem: `the license text is longer than ${MAX_LENGTH} characters; give an id or an expression` };
  if (/[\u0000-\u001f\u007f]/.test(input)) return { ok: false, problem: 'the license contains control characters' };
  if (PROPRIETARY.has(input.replace(/\s+/g, ' ').toLowerCase())) return build('LicenseRef-Proprietary');
  const tokens = input.match(/\(|\)|[^\s()]+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const upper = token.toUpperCase();
    if (token === '(' || token === ')') out.push(token);
    else if (upper === 'AND' || upper === 'OR') out.push(upper);
    else if (upper === 'WITH') {
      out.push('WITH', tokens[i + 1] ?? '');
      i++;
    } else {
      const id = mapToken(token);
      if (!id) return { ok: false, problem: `"${printable(token)}" is neither a Hub license id nor an SPDX license id` };
      out.push(id);
    }
  }
  return build(out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')'));
}

function build(expression: string): Parsed {
  let raw: unknown;
  try {
    raw = parseSpdx(expression);
  } catch (error) {
    return { ok: false, problem: `"${printable(expression)}" is not a valid license expression (${(error as Error).message})` };
  }
  const tree = toTree(raw as RawNode);
  return { ok: true, tree, spdx: render(tree) };
}

interface RawNode {
  license?: string;
  plus?: boolean;
  exception?: string;
  conjunction?: 'and' | 'or';
  left?: RawNode;
  right?: RawNode;
}

function toTree(node: RawNode): LicenseTree {
  if (node.conjunction) return { conjunction: node.conjunction, left: toTree(node.left!), right: toTree(node.right!) };
  const id = node.plus ? modernGnuId(node.license!, true) : node.license!;
  const spdx = node.plus && id === node.license ? `${id}+` : id;
  const leaf: LicenseLeaf = { spdx, entry: entryBySpdx(id) ?? familyEntry(id) };
  if (node.exception) leaf.exception = node.exception;
  return { leaf };
}

export function render(tree: LicenseTree, parent?: 'and' | 'or'): string {
  if ('leaf' in tree) return tree.leaf.exception ? `${tree.leaf.spdx} WITH ${tree.leaf.exception}` : tree.leaf.spdx;
  const text = `${render(tree.left, tree.conjunction)} ${tree.conjunction.toUpperCase()} ${render(tree.right, tree.conjunction)}`;
  return parent && parent !== tree.conjunction ? `(${text})` : text;
}

export function leaves(tree: LicenseTree): LicenseLeaf[] {
  return 'leaf' in tree ? [tree.leaf] : [...leaves(tree.left), ...leaves(tree.right)];
}

/** SPDX families the knowledge base does not list one by one, classified by their stem. */
const FAMILIES: [RegExp, LicenseKind, string, Partial<LicenseEntry>?][] = [
  [/^AGPL-/i, 'network-copyleft', 'network copyleft: as the GPL, and network users must be offered the source'],
  [/^GPL-/i, 'strong-copyleft', 'strong copyleft: a work that includes the model must be released under a compatible GPL version'],
  [/^(LGPL|MPL|EPL|CDDL|CPL)-/i, 'weak-copyleft', 'weak copyleft: changes to the licensed files must be published'],
  [/^EUPL-/i, 'strong-copyleft', 'strong copyleft: derivative works must be released under the EUPL or a compatible license'],
  [/^CC-BY-NC-ND-/i, 'non-commercial', 'give credit; no commercial use; no modified versions', { nonCommercial: true, noDerivatives: true }],
  [/^CC-BY-NC/i, 'non-commercial', 'give credit; no commercial use', { nonCommercial: true }],
  [/^CC-BY-ND-/i, 'no-derivatives', 'give credit; no modified versions', { noDerivatives: true }],
  [/^CC-BY-SA-/i, 'weak-copyleft', 'give credit; adaptations shared alike'],
  [/^(CC-BY-|CC0-|CC-PDDC)/i, 'permissive', 'give credit (or no conditions for public domain tools)'],
  [/^(0BSD|BSD-|MIT|Apache-|ISC|Zlib|X11|PSF-|Python-|Unicode-|BlueOak-|Unlicense|UPL-|NCSA|PostgreSQL|BSL-|AFL-|Artistic-|MulanPSL-)/i, 'permissive', 'permissive: keep the copyright and license notice'],
];

function familyEntry(id: string): LicenseEntry {
  const url = id.startsWith('LicenseRef-') ? '' : `https://spdx.org/licenses/${id.replace(/\+$/, '')}.html`;
  for (const [pattern, kind, obligations, extra] of FAMILIES) {
    if (pattern.test(id)) return { spdx: id, name: id, kind, obligations, url, source: `SPDX License List (spdx-license-ids); kind by license family (${pattern.source})`, ...extra };
  }
  return { spdx: id, name: id, kind: 'unknown', obligations: 'not in PTM Lens\' license knowledge base: read the license', url, source: 'SPDX License List (spdx-license-ids)' };
}

/** Keeps odd characters visible (control, bidirectional and zero-width ones escaped) without letting them break a line. */
export function printable(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff"\\]/g, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
