// What the server needs from the editor to reach the Hub: the token from secret
// storage and VS Code's proxy settings. Sent again whenever either changes. In return
// the server says whether the Hub can be reached, shown in the status bar.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { HUB_CONNECTION_NOTIFICATION, HUB_STATE_NOTIFICATION, type HubConnectionParams, type HubStateParams } from '../../protocol';

const TOKEN_KEY = 'ptmLens.huggingFaceToken';

export async function hubConnectionParams(secrets: vscode.SecretStorage): Promise<HubConnectionParams> {
  const http = vscode.workspace.getConfiguration('http');
  const proxy = http.get<string>('proxy') || undefined;
  const noProxy = (http.get<string[]>('noProxy') ?? []).join(',') || undefined;
  return { token: (await secrets.get(TOKEN_KEY)) || undefined, proxy, noProxy, proxyStrictSSL: http.get<boolean>('proxyStrictSSL', true) };
}

export function registerHubConnection(context: vscode.ExtensionContext, client: LanguageClient): void {
  const send = async () => client.sendNotification(HUB_CONNECTION_NOTIFICATION, await hubConnectionParams(context.secrets));
  context.subscriptions.push(
    context.secrets.onDidChange((event) => event.key === TOKEN_KEY && void send()),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('http') && void send()),
    vscode.commands.registerCommand('ptmLens.setToken', async () => {
      const token = await vscode.window.showInputBox({
        title: 'PTM Lens: Hugging Face token',
        prompt: 'A read token from your Hugging Face settings. Stored in VS Code secret storage and sent only to the Hub endpoint.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() === '' || /^\S+$/.test(value.trim()) ? undefined : 'A token has no spaces.'),
      });
      if (token === undefined) return;
      if (token.trim() === '') await context.secrets.delete(TOKEN_KEY);
      else await context.secrets.store(TOKEN_KEY, token.trim());
      void vscode.window.showInformationMessage(token.trim() ? 'PTM Lens: Hugging Face token saved.' : 'PTM Lens: Hugging Face token removed.');
    }),
    vscode.commands.registerCommand('ptmLens.clearToken', async () => {
      await context.secrets.delete(TOKEN_KEY);
      void vscode.window.showInformationMessage('PTM Lens: Hugging Face token removed.');
    }),
  );
  context.subscriptions.push(showHubState(client));
  void send();
}

const STATE_TEXT: Record<HubStateParams['state'], string | undefined> = {
  ok: undefined,
  offline: '$(cloud) Hub offline',
  unreachable: '$(cloud-offline) Hub unreachable',
  'rate-limited': '$(watch) Hub rate-limited',
  'budget-spent': '$(watch) Hub lookups paused',
};

/** A status bar item that appears only while the Hub is not answering lookups. */
function showHubState(client: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('ptmLens.hubState', vscode.StatusBarAlignment.Left, 9);
  item.name = 'PTM Lens: Hub';
  const listener = client.onNotification(HUB_STATE_NOTIFICATION, (params: HubStateParams) => {
    const text = STATE_TEXT[params.state];
    if (!text) return item.hide();
    item.text = text;
    const retry = params.retryAt ? ` Next try at ${new Date(params.retryAt).toLocaleTimeString()}.` : '';
    item.tooltip = `${params.detail}${retry}`;
    item.show();
  });
  return vscode.Disposable.from(item, listener);
}
