// The ONNX actions as language-server requests: inspect a .onnx file, run the conversion
// check. The check runs the user's Python: the client asks for it only on an explicit
// command in a trusted workspace; cancelling the request kills the child process.
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import {
  CHECK_ONNX_REQUEST,
  INSPECT_ONNX_REQUEST,
  type CheckOnnxParams,
  type CheckOnnxResult,
  type InspectOnnxParams,
  type InspectOnnxResult,
} from '../../protocol';
import type { RuleSettings } from '../config/settings';
import { inspectOnnxFile } from '../engine/onnx-file';
import { inspectionText } from '../engine/onnx-text';
import { CheckCannotRun, runConversionCheck } from '../onnx/check/check';
import { OnnxReadError } from '../onnx/read-model';

export interface OnnxRequestContext {
  /** Rule settings and the workspace-relative path for a file. */
  settingsFor(uri: string): Promise<{ settings: RuleSettings; relativePath: string }>;
  /** A check of a Hub model finished with a verdict. */
  onModelVerdict?(modelId: string, revision: string | undefined, result: Extract<CheckOnnxResult, { ok: true }>): void;
}

export function registerOnnxRequests(connection: Connection, context: OnnxRequestContext): void {
  connection.onRequest(INSPECT_ONNX_REQUEST, async (params: InspectOnnxParams): Promise<InspectOnnxResult> => {
    try {
      const { settings, relativePath } = await context.settingsFor(params.uri);
      const summary = inspectOnnxFile(URI.parse(params.uri).fsPath, { settings, relativePath });
      return { ok: true, summary: summary as unknown as Record<string, unknown>, text: inspectionText(summary) };
    } catch (error) {
      if (error instanceof OnnxReadError) return { ok: false, error: error.message };
      connection.console.error(`inspect ONNX failed: ${(error as Error).stack ?? error}`);
      return { ok: false, error: (error as Error).message };
    }
  });

  connection.onRequest(CHECK_ONNX_REQUEST, async (params: CheckOnnxParams, token: CancellationToken): Promise<CheckOnnxResult> => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('PTM Lens: ONNX conversion check', undefined, 'starting Python', true);
    const progressCancel = progress.token.onCancellationRequested(() => controller.abort());
    try {
      const result = await runConversionCheck({
        source: params.source,
        onnx: params.onnx,
        python: params.python,
        opset: params.opset ?? 17,
        tolerances: { atol: params.atol ?? 1e-5, rtol: params.rtol ?? 1e-5 },
        inputs: params.inputs ?? 5,
        timeoutMs: params.timeoutMs,
        signal: controller.signal,
        onProgress: (message) => progress.report(message),
      });
      connection.console.info(`ONNX conversion check: ${result.verdict}: ${result.message} (report ${result.report})`);
      const { version: _version, notes: _notes, ...rest } = result;
      const answer = { ok: true as const, ...rest };
      if (params.source.kind === 'model') context.onModelVerdict?.(params.source.id, params.source.revision, answer);
      return answer;
    } catch (error) {
      if (error instanceof CheckCannotRun) return { ok: false, error: error.message };
      connection.console.error(`ONNX conversion check failed: ${(error as Error).stack ?? error}`);
      return { ok: false, error: (error as Error).message };
    } finally {
      progress.done();
      subscription.dispose();
      progressCancel.dispose();
    }
  });
}
