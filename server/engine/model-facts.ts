// What the Hub says about each model a file loads, gathered once per model and shared
// by every file and rule that mentions it.
import type { FactsProvider, ModelFacts } from '../core/model-facts';
import type { ModelReference } from '../core/types';
import { REPOSITORY_ANSWERS, type HubApi, type HubResult } from '../hub/types';

// Surfaces read what is computed from facts through the engine (they never import the
// knowledge layer), so PTM601 and the hover card share one card score.
export { cardScoreOf, type CardScore } from '../knowledge/card-score';
export { weightFormats } from '../knowledge/weight-files';

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
  }

  private async lookup(modelId: string, revision?: string): Promise<ModelFacts> {
    const options = revision ? { revision } : {};
    const info = await this.hub.modelInfo(modelId, options);
    if (!info.ok) {
      // A failed lookup (network down, rate limit) is retried on the next analysis.
      if (!REPOSITORY_ANSWERS.has(info.error.kind)) this.entries.delete(entryKey(modelId, revision));
      return { info };
    }
    if (info.value.gated || info.value.partial) return { info };
    const hasCard = info.value.siblings.some((s) => s.rfilename.toLowerCase() === 'readme.md');
    const readme: HubResult<string> = hasCard
      ? await this.hub.readme(info.value.canonicalId, { revision: info.value.sha ?? revision })
      : { ok: false, error: { kind: 'entry-not-found', message: 'the repository has no README.md' } };
    return { info, readme };
  }
}

/** Hub ids are case-insensitive, so the memo is too. */
function entryKey(modelId: string, revision?: string): string {
  return factsKey(modelId.toLowerCase(), revision);
}
