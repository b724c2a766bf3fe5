// The "Explain Model Name" request: the name at a document position, or one given by id,
// split into components by the engine. Answers from memory only: no Hub lookup.
import type { Connection } from 'vscode-languageserver/node';
import { EXPLAIN_MODEL_NAME_REQUEST, type ExplainModelNameParams, type ExplainModelNameResult } from '../../protocol';
import { explainModelName, nameMarkdown } from '../engine/model-name';

/** Longest id explained; longer text is not a model id. */
const MAX_ID_LENGTH = 256;

export function registerNameRequests(connection: Connection, modelIdAt: (uri: string, position: { line: number; character: number }) => Promise<string | undefined>): void {
  connection.onRequest(EXPLAIN_MODEL_NAME_REQUEST, async (params: ExplainModelNameParams): Promise<ExplainModelNameResult> => {
    const modelId = (params.modelId ?? (params.uri && params.position ? await modelIdAt(params.uri, params.position) : undefined))?.trim();
    if (modelId === undefined) return null;
    if (modelId === '') return { error: 'The model id is empty.' };
    if (modelId.length > MAX_ID_LENGTH) return { error: `A model id of ${modelId.length} characters is longer than any Hub id.` };
    const explained = explainModelName(modelId);
    return {
      modelId,
      components: explained.components.map(({ text, category, meaning }) => ({ text, category, meaning })),
      markdown: nameMarkdown(explained),
    };
  });
}
