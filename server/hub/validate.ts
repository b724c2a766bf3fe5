// Hand-written shape checks for Hub answers: the Hub adds and drops fields over time, so
// required fields are checked strictly and optional ones are kept only when well-typed.
import type { CardData, HubModelData, SafetensorsInfo, Sibling, TransformersInfo } from './types';

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strOrList = (v: unknown): string | string[] | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/** Copies only defined values, so optional fields are absent rather than undefined. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function cardData(v: unknown): CardData | undefined {
  if (!isObject(v)) return undefined;
  const out: CardData = { ...v };
  out.license = strOrList(v.license);
  out.license_name = str(v.license_name);
  out.license_link = str(v.license_link);
  out.base_model = strOrList(v.base_model);
  return compact(out);
}

function siblings(v: unknown): Sibling[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Sibling[] = [];
  for (const s of v) {
    if (!isObject(s) || typeof s.rfilename !== 'string') return undefined;
    out.push(compact({ rfilename: s.rfilename, size: num(s.size) }));
  }
  return out;
}

function safetensors(v: unknown): SafetensorsInfo | undefined {
  if (!isObject(v) || !isObject(v.parameters)) return undefined;
  const parameters: Record<string, number> = {};
  for (const [dtype, n] of Object.entries(v.parameters)) {
    if (num(n) === undefined) return undefined;
    parameters[dtype] = n as number;
  }
  const total = num(v.total) ?? Object.values(parameters).reduce((a, b) => a + b, 0);
  return { parameters, total };
}

function transformersInfo(v: unknown): TransformersInfo | undefined {
  if (!isObject(v)) return undefined;
  return compact({
    auto_model: str(v.auto_model),
    pipeline_tag: str(v.pipeline_tag),
    processor: str(v.processor),
    custom_class: str(v.custom_class),
  });
}

function gated(v: unknown): HubModelData['gated'] {
  if (v === undefined || v === null || v === false) return false;
  // true, or a kind of gating the Hub may add later: gated all the same; keep the answer.
  return v === 'auto' ? 'auto' : 'manual';
}

/** Checks a parsed /api/models answer and keeps the fields the rules use. */
export function checkModelData(raw: unknown): Checked<HubModelData> {
  if (!isObject(raw)) return { ok: false, problem: 'model info is not a JSON object' };
  if (typeof raw.id !== 'string' || raw.id === '') return { ok: false, problem: 'model info has no "id" string' };
  const g = gated(raw.gated);
  if (raw.tags !== undefined && !(Array.isArray(raw.tags) && raw.tags.every((t) => typeof t === 'string'))) {
    return { ok: false, problem: '"tags" is not a list of strings' };
  }
  const sib = raw.siblings === undefined ? [] : siblings(raw.siblings);
  if (sib === undefined) return { ok: false, problem: '"siblings" is not a list of {rfilename}' };
  const value: HubModelData = compact({
    id: raw.id,
    sha: str(raw.sha),
    lastModified: str(raw.lastModified),
    createdAt: str(raw.createdAt),
    downloads: num(raw.downloads),
    likes: num(raw.likes),
    tags: (raw.tags as string[] | undefined) ?? [],
    pipeline_tag: str(raw.pipeline_tag),
    library_name: str(raw.library_name),
    cardData: cardData(raw.cardData),
    gated: g,
    private: raw.private === true,
    disabled: raw.disabled === true,
    siblings: sib,
    safetensors: safetensors(raw.safetensors),
    config: isObject(raw.config) ? raw.config : undefined,
    transformersInfo: transformersInfo(raw.transformersInfo),
  });
  return { ok: true, value };
}

export function checkConfig(raw: unknown): Checked<Record<string, unknown>> {
  return isObject(raw) ? { ok: true, value: raw } : { ok: false, problem: 'config.json is not a JSON object' };
}
