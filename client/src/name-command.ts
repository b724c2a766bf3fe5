// "PTM Lens: Explain Model Name": the name under the cursor (or one the user types) split into
// the naming study's components, shown as a Markdown page. The server does the parsing.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXPLAIN_MODEL_NAME_REQUEST, type ExplainModelNameParams, type ExplainModelNameResult } from '../../protocol';

export function registerNameCommand(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(vscode.commands.registerCommand('ptmLens.explainModelName', (modelId?: string) => explain(client(), modelId)));
}

async function explain(client: LanguageClient | undefined, given?: string): Promise<void> {
  if (!client) return;
  const editor = vscode.window.activeTextEditor;
  let result: ExplainModelNameResult = null;
  if (typeof given === 'string') result = await ask(client, { modelId: given });
  else if (editor) {
    result = await ask(client, { uri: editor.document.uri.toString(), position: { line: editor.selection.active.line, character: editor.selection.active.character } });
  }
  if (!result) {
    const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim().replace(/^["']|["']$/g, '') : '';
    const modelId = await vscode.window.showInputBox({
      title: 'Explain Model Name',
      prompt: 'A Hugging Face model id, e.g. TheBloke/Llama-2-7B-Chat-GGUF',
      value: selected.length <= 256 ? selected : '',
      ignoreFocusOut: true,
    });
    if (modelId === undefined) return;
    result = await ask(client, { modelId });
  }
  if (!result) return;
  if ('error' in result) {
    void vscode.window.showWarningMessage(`PTM Lens: ${result.error}`);
    return;
  }
  const document = await vscode.workspace.openTextDocument({ content: result.markdown, language: 'markdown' });
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', document.uri);
  } catch {
    // No Markdown preview in this editor: the Markdown text itself still reads as a table.
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}

function ask(client: LanguageClient, params: ExplainModelNameParams): Promise<ExplainModelNameResult> {
  return client.sendRequest<ExplainModelNameResult>(EXPLAIN_MODEL_NAME_REQUEST, params);
}
