// What the Hub says about each model a file loads, gathered once per model and shared
// by every file and rule that mentions it.
import type { BaseModelFact, FactsProvider, ModelFacts } from '../core/model-facts';
import type { ModelReference } from '../core/types';
import { isValidModelId } from '../hub/ids';
import { REPOSITORY_ANSWERS, type HubApi, type HubResult, type ModelInfo } from '../hub/types';
import { hasSafetensorsSource, readWeightLayout } from '../hub/weight-layout';
import { loadOnce } from '../core/load-once';

// Surfaces read what is computed from facts through the engine (they never import the
// knowledge layer), so PTM601 and the hover card share one card score.
export { cardScoreOf, type CardScore } from '../knowledge/card-score';
export { weightFormats } from '../knowledge/weight-files';
/** The naming verdict for the hover (the naming tables load on first use, not with the engine). */
const namingModule = loadOnce((): typeof import('../naming/assess') => require('../naming/assess'));
export const nameVsModel: typeof import('../naming/assess').nameVsModel = (...args) => namingModule().nameVsModel(...args);

/** The one spelling of "this model at this revision", used for every map of facts. */
export function factsKey(modelId: string, revision?: string): string {
  return `${modelId}@${revision ?? ''}`;
}

/** The key of the facts a reference needs: its id and, when pinned statically, its revision. */
export function referenceFactsKey(reference: ModelReference): string {
  return factsKey(reference.modelId ?? '', pinnedRevision(reference));
}

/** The revision a reference pins in code, when it is a known non-empty string. */
export function pinnedRevision(reference: ModelReference): string | undefined {
  const value = reference.revision?.resolved ? reference.revision.value : undefined;
  return typeof value === 'string' && value ? value : undefined;
}

const ENTRY_TTL_MS = 10 * 60 * 1000;
/** Base-model chains deeper than this are cut (real chains rarely exceed 3 or 4). */
export const MAX_BASE_DEPTH = 10;
/** At most this many base models per loaded model (merges can name many parents). */
export const MAX_BASE_MODELS = 50;

/** Memoises lookups for a while so typing does not ask the Hub (or its disk cache) again. */
export class HubFacts implements FactsProvider {
  private readonly entries = new Map<string, { at: number; facts: Promise<ModelFacts>; settled?: ModelFacts }>();

  constructor(
    private readonly hub: HubApi,
    private readonly now: () => number = Date.now,
  ) {}

  get(modelId: string, revision?: string): Promise<ModelFacts> {
    const key = entryKey(modelId, revision);
    const cached = this.entries.get(key);
    if (cached && this.now() - cached.at < ENTRY_TTL_MS) return cached.facts;
    const entry: { at: number; facts: Promise<ModelFacts>; settled?: ModelFacts } = { at: this.now(), facts: this.lookup(modelId, revision) };
    void entry.facts.then((facts) => (entry.settled = facts));
    this.entries.set(key, entry);
    return entry.facts;
  }

  /** The answer when a lookup has finished and is still fresh, without waiting. */
  peek(modelId: string, revision?: string): ModelFacts | undefined {
    const entry = this.entries.get(entryKey(modelId, revision));
    return entry && this.now() - entry.at < ENTRY_TTL_MS ? entry.settled : undefined;
  }

  clear(): void {
    this.entries.clear();
    this.baseInfos.clear();
  }

  private async lookup(modelId: string, revision?: string): Promise<ModelFacts> {
    const options = revision ? { revision } : {};
    const info = await this.hub.modelInfo(modelId, options);
    if (!info.ok) {
      // A failed lookup (network down, rate limit) is retried on the next analysis.
      if (!REPOSITORY_ANSWERS.has(info.error.kind)) this.entries.delete(entryKey(modelId, revision));
      return { info };
    }
    if (info.value.gated) return { info };
    // What the model is (config and weight layout), for the naming rules; the local HF cache has it too.
    // Asked alongside the card and the base chain, so the facts take no longer than before.
    const structure = this.structure(info.value);
    if (info.value.partial) return { info, ...(await structure) };
    const hasCard = info.value.siblings.some((s) => s.rfilename.toLowerCase() === 'readme.md');
    const readme: HubResult<string> = hasCard
      ? await this.hub.readme(info.value.canonicalId, { revision: info.value.sha ?? revision })
      : { ok: false, error: { kind: 'entry-not-found', message: 'the repository has no README.md' } };
    const baseModels = await this.baseChain(info.value);
    return baseModels.length ? { info, readme, baseModels, ...(await structure) } : { info, readme, ...(await structure) };
  }

  private async structure(info: ModelInfo): Promise<Pick<ModelFacts, 'config' | 'layout'>> {
    const options = info.sha ?? info.revision ? { revision: info.sha ?? info.revision } : {};
    const hasConfig = info.siblings.some((s) => s.rfilename === 'config.json');
    const [config, layout] = await Promise.all([
      hasConfig ? this.hub.configJson(info.canonicalId, options) : undefined,
      hasSafetensorsSource(this.hub) ? readWeightLayout(this.hub, info) : undefined,
    ]);
    return { ...(config ? { config } : {}), ...(layout ? { layout } : {}) };
  }

  /** Follows `base_model` breadth first, each id once, down to MAX_BASE_DEPTH. */
  private async baseChain(model: ModelInfo): Promise<BaseModelFact[]> {
    const chain: BaseModelFact[] = [];
    const seen = new Set([model.canonicalId.toLowerCase(), model.requestedId.toLowerCase()]);
    let level: ModelInfo[] = [model];
    for (let depth = 1; level.length && chain.length < MAX_BASE_MODELS; depth++) {
      const next: ModelInfo[] = [];
      for (const child of level) {
        for (const modelId of baseIds(child)) {
          if (chain.length >= MAX_BASE_MODELS) break;
          const fact: BaseModelFact = { modelId, childId: child.canonicalId, depth };
          chain.push(fact);
          if (!isValidModelId(modelId)) fact.stop = 'invalid-id';
          else if (seen.has(modelId.toLowerCase())) fact.stop = 'repeated';
          else if (depth > MAX_BASE_DEPTH) fact.stop = 'too-deep';
          if (fact.stop) continue;
          seen.add(modelId.toLowerCase());
          fact.info = await this.baseInfo(modelId);
          if (fact.info.ok) {
            seen.add(fact.info.value.canonicalId.toLowerCase());
            next.push(fact.info.value);
          }
        }
      }
      level = next;
    }
    return chain;
  }

  private readonly baseInfos = new Map<string, { at: number; info: Promise<HubResult<ModelInfo>> }>();

  /** Base models are shared by many fine-tunes: look each up once per TTL. */
  private baseInfo(modelId: string): Promise<HubResult<ModelInfo>> {
    const key = modelId.toLowerCase();
    const cached = this.baseInfos.get(key);
    if (cached && this.now() - cached.at < ENTRY_TTL_MS) return cached.info;
    const info = this.hub.modelInfo(modelId);
    this.baseInfos.set(key, { at: this.now(), info });
    void info.then((answer) => {
      if (!answer.ok && !REPOSITORY_ANSWERS.has(answer.error.kind)) this.baseInfos.delete(key);
    });
    return info;
  }
}

function baseIds(model: ModelInfo): string[] {
  const base = model.cardData?.base_model;
  const ids = base === undefined ? [] : Array.isArray(base) ? base : [base];
  return [...new Set(ids.map((id) => id.trim()).filter(Boolean))];
}

/** Hub ids are case-insensitive, so the memo is too. */
function entryKey(modelId: string, revision?: string): string {
  return factsKey(modelId.toLowerCase(), revision);
}
