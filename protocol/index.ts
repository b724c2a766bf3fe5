// Types shared by the VS Code client and the language server: settings and custom
// messages. Plain data only; neither side's runtime is imported here.

/** Same values as the server's Severity; spelled out so this file imports nothing. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const CONFIGURATION_SECTION = 'ptmLens';

/** The `ptmLens.*` settings the server reads per workspace folder. */
export interface PtmLensSettings {
  enable: boolean;
  scanWorkspaceOnOpen: boolean;
  /** Delay between the last keystroke and re-analysis. */
  debounceMs: number;
  exclude: string[];
  rules: {
    ignore: string[];
    severity: Record<string, Severity | 'off'>;
    staleAfterDays: number;
    minCardScore: number;
    /** PTM501: the ONNX opset the project exports to. */
    onnxTargetOpset: number;
    /** Severity of findings about ids decided at run time (parameters, attributes, the environment). */
    unresolvedIdSeverity: Severity | 'off';
  };
  hub: {
    /** false turns every network lookup off (local caches only). */
    enabled: boolean;
    /** Hub or mirror URL; empty means HF_ENDPOINT, else https://huggingface.co. */
    endpoint: string;
    /** Seconds of waiting on the Hub allowed before lookups go to the caches only. */
    timeBudget: number;
  };
  /** License checks (PTM301-305); empty values leave it to the config file and the project files. */
  license: {
    /** The project's license as an SPDX id or expression. */
    project: string;
    intendedUse: '' | 'commercial' | 'non-commercial' | 'research';
  };
}

export const DEFAULT_SETTINGS: PtmLensSettings = {
  enable: true,
  scanWorkspaceOnOpen: true,
  debounceMs: 250,
  exclude: [],
  rules: { ignore: [], severity: {}, staleAfterDays: 1095, minCardScore: 0.5, onnxTargetOpset: 17, unresolvedIdSeverity: 'info' },
  hub: { enabled: true, endpoint: '', timeBudget: 20 },
  license: { project: '', intendedUse: '' },
};

/**
 * Notification `ptmLens/hubConnection` from client to server: what only the editor knows
 * about reaching the Hub. The token comes from VS Code's secret storage; it is held in
 * memory and sent nowhere but the Hub endpoint.
 */
export const HUB_CONNECTION_NOTIFICATION = 'ptmLens/hubConnection';

export interface HubConnectionParams {
  token?: string;
  /** VS Code's http.proxy, when set. */
  proxy?: string;
  proxyStrictSSL: boolean;
  noProxy?: string;
}

/** Request `ptmLens/scanWorkspace`: (re)scan every folder; answers when done. */
export const SCAN_WORKSPACE_REQUEST = 'ptmLens/scanWorkspace';

export interface ScanSummary {
  files: number;
  references: number;
  findings: number;
  /** Milliseconds the scan took. */
  elapsedMs: number;
}

/** Notification `ptmLens/status` from server to client, for the status bar. */
export const STATUS_NOTIFICATION = 'ptmLens/status';

export interface StatusParams {
  state: 'scanning' | 'idle';
  references: number;
  findings: number;
}

/** Notification `ptmLens/hubState` from server to client: whether lookups reach the Hub, for the status bar. */
export const HUB_STATE_NOTIFICATION = 'ptmLens/hubState';

export interface HubStateParams {
  /** ok; offline (by choice); unreachable, rate-limited or budget-spent (tried again later in the background). */
  state: 'ok' | 'offline' | 'unreachable' | 'rate-limited' | 'budget-spent';
  /** One line saying why, for the tooltip; never holds the token. */
  detail: string;
  /** When the server will try again, as epoch ms, while not ok. */
  retryAt?: number;
}

/** Request `ptmLens/licenseReport`: every model the workspace loads with its license verdict, as Markdown. */
export const LICENSE_REPORT_REQUEST = 'ptmLens/licenseReport';

export interface LicenseReportResult {
  markdown: string;
  models: number;
  incompatible: number;
}

/** Request `ptmLens/inspectOnnx`: summary and graph findings of one .onnx file. */
export const INSPECT_ONNX_REQUEST = 'ptmLens/inspectOnnx';

export interface InspectOnnxParams {
  /** file:// URI of the model. */
  uri: string;
}

/** The `inspect-onnx` JSON (docs/inspect-onnx.schema.json) plus its text rendering, or why it could not be read. */
export type InspectOnnxResult = { ok: true; summary: Record<string, unknown>; text: string } | { ok: false; error: string };

/**
 * Request `ptmLens/checkOnnx`: the conversion check. Runs the user's Python, so the client
 * sends it only on an explicit request in a trusted workspace. Cancelling the request kills
 * the Python child.
 */
export const CHECK_ONNX_REQUEST = 'ptmLens/checkOnnx';

export interface CheckOnnxParams {
  source: { kind: 'module'; file: string; name: string } | { kind: 'model'; id: string; revision?: string; library?: 'auto' | 'transformers' | 'sentence-transformers' | 'timm' };
  /** Verify this existing export instead of exporting. */
  onnx?: string;
  python: string;
  opset?: number;
  atol?: number;
  rtol?: number;
  inputs?: number;
  /** Stop the Python side after this long. */
  timeoutMs?: number;
}

export interface CheckOnnxOutput {
  name: string;
  shape: number[];
  maxAbsDiff: number;
  meanAbsDiff: number;
  medianAbsDiff: number;
  maxRelDiff: number;
  nanOrInf: number;
  pass: boolean;
  problem?: string;
}

/** The `check-onnx` JSON (docs/check-onnx.schema.json) with histograms, or why the check could not run. */
export type CheckOnnxResult =
  | {
      ok: true;
      verdict: 'pass' | 'mismatch' | 'export-crash' | 'load-crash' | 'run-crash';
      message: string;
      opset: number;
      inputs: number;
      tolerances: { atol: number; rtol: number };
      outputs: CheckOnnxOutput[];
      optimization: { maxDiffBetweenLevels: number; levels: Record<'disabled' | 'all', string> };
      timings: Record<string, number | undefined>;
      histograms: Record<string, { from: number; to: number; count: number }[]>;
      report: string;
      /** The export that was checked (absolute path), when there is one. */
      onnx?: string;
    }
  | { ok: false; error: string };

/**
 * Request `ptmLens/explainModelName`: a model name split into the naming study's components.
 * Either `modelId`, or a document position: the model id referenced there is explained; null
 * when there is none (the client then asks for an id).
 */
export const EXPLAIN_MODEL_NAME_REQUEST = 'ptmLens/explainModelName';

export interface ExplainModelNameParams {
  modelId?: string;
  uri?: string;
  position?: { line: number; character: number };
}

export type ExplainModelNameResult = {
  modelId: string;
  /** Category letters as in `ptm-lens name` (A architecture, S size, ...), with what each means. */
  components: { text: string; category: string; meaning: string }[];
  /** The same as a small Markdown page with the table. */
  markdown: string;
} | { error: string } | null;
