// Model ids that sentence-transformers loads as written, without its `sentence-transformers/`
// prefix: the legacy un-namespaced Hub ids of plain transformer models.
// Source (facts only): the list `basic_transformer_models` in
// sentence_transformers/SentenceTransformer.py, UKPLab/sentence-transformers, identical
// from v2.2.2 to v5.1.2. It names exactly the 68 legacy ids the Hub moved under an owner,
// which knowledge/legacy-ids.ts keeps (a test checks they stay the same 68), so the list is
// written once. The library compares the lower-cased id against it.
import { LEGACY_IDS } from '../knowledge/legacy-ids';

export const SENTENCE_TRANSFORMERS_PLAIN_IDS: ReadonlySet<string> = new Set(LEGACY_IDS.keys());
