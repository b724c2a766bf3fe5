// Notes about a model's facts that could not be used (a malformed config.json, a truncated
// or lying safetensors header): the user learns why the naming rules had less to go on,
// and every other finding is still produced.
import type { ModelFacts } from '../core/model-facts';
import type { Note } from '../core/notes';

/** Failures that are about the files themselves; network and budget failures are noted once by the Hub client. */
const FILE_PROBLEMS = new Set(['malformed', 'too-large', 'refused']);

export function factNotes(facts: Iterable<ModelFacts>, file: string): Note[] {
  const notes: Note[] = [];
  for (const fact of facts) {
    const id = fact.info.ok ? fact.info.value.canonicalId : undefined;
    if (!id) continue;
    if (fact.config && !fact.config.ok && FILE_PROBLEMS.has(fact.config.error.kind)) {
      notes.push({ level: 'warning', message: `config.json of '${id}' was not used: ${fact.config.error.message}`, file });
    }
    if (fact.layout && !fact.layout.ok && FILE_PROBLEMS.has(fact.layout.error.kind)) {
      notes.push({ level: 'warning', message: `the weight layout of '${id}' was not read: ${fact.layout.error.message}`, file });
    }
    for (const problem of fact.layout?.ok ? fact.layout.value.problems : []) {
      notes.push({ level: 'info', message: `a shard header of '${id}' was not read: ${problem}`, file });
    }
  }
  return notes;
}
