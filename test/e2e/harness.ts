// Drives a real VS Code workbench in headless Chromium for end-to-end tests. It is code-server
// (installed by scripts/e2e-setup.sh): VS Code's own download is unreachable offline.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const WAIT_MS = 60_000;

/** Repository root: the nearest folder above this file with a package.json (works from out/ too). */
export const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
})();
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts', 'e2e');

const SETUP_HINT =
  'Run `bash scripts/e2e-setup.sh` first (installs Chromium, ripgrep and code-server into test/e2e/.tools).';
const CODE_SERVER_VERSION = '4.100.3';
const CODE_SERVER = path.join(ROOT, 'test', 'e2e', '.tools', 'node_modules', 'code-server');
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface E2ETools { codeServerEntry: string; chromium: string }

/** Finds code-server and Chromium, or throws an error that says how to install them. */
export function requireE2ETools(): E2ETools {
  const problems: string[] = [];
  const entry = path.join(CODE_SERVER, 'out', 'node', 'entry.js');
  const stamp = path.join(CODE_SERVER, '..', '..', `.installed-code-server-${CODE_SERVER_VERSION}`);
  if (!fs.existsSync(entry) || !fs.existsSync(stamp)) {
    problems.push(`code-server ${CODE_SERVER_VERSION} is not installed in test/e2e/.tools`);
  }
  const chromiumPath = findOnPath('chromium');
  if (!chromiumPath) problems.push('Debian chromium is not on PATH');
  if (problems.length > 0 || !chromiumPath) {
    throw new Error(`End-to-end tools missing: ${problems.join('; ')}. ${SETUP_HINT}`);
  }
  return { codeServerEntry: entry, chromium: chromiumPath };
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** A marker row of the Problems panel; `file` is the base name of its file. */
export interface Problem { file: string; text: string; line: number; column: number }

export interface SessionOptions {
  /** Folder holding the extension's package.json (default: the repository root). */
  extensionDir?: string;
  /** Folder copied into a temp dir and opened as the workspace (default: examples/). */
  workspace?: string;
  /** Extra user settings merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host and language server. */
  env?: NodeJS.ProcessEnv;
  /**
   * A compiled extension-tests module (exports `run()`, VS Code's extensionTestsPath contract).
   * The extension is then loaded from `extensionDir` as the extension under development, not
   * from a VSIX, and the workbench runs the module in the extension host; `extensionTestsExit`
   * resolves with its exit code.
   */
  extensionTests?: string;
}

/** One code-server + Chromium pair on a temp copy of a workspace. Always call close(). */
/** The little of the page's DOM that paletteGone reads (this file compiles without the DOM types). */
interface PageElement {
  getBoundingClientRect(): { width: number; height: number };
  querySelector(selector: string): (PageElement & { value?: string }) | null;
}

/** Runs in the page: true once the quick input no longer shows the palette with `typed` in its box. */
function paletteGone(typed: string): boolean {
  const widget = (globalThis as unknown as { document: PageElement }).document.querySelector('.quick-input-widget');
  if (!widget) return true;
  const box = widget.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) return true;
  return widget.querySelector('input')?.value !== typed;
}

export class VsCodeSession {
  private constructor(
    readonly page: Page,
    readonly workspaceDir: string,
    private readonly tmp: string,
    private readonly server: ChildProcess,
    private readonly context: BrowserContext,
    /** Exit code of the `extensionTests` module, once the extension host ran it. */
    readonly extensionTestsExit?: Promise<number>,
  ) {}

  static async start(options: SessionOptions = {}): Promise<VsCodeSession> {
    const tools = requireE2ETools();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ptm-e2e-'));
    const dirs = {
      userData: path.join(tmp, 'user-data'),
      extensions: path.join(tmp, 'extensions'),
      xdg: path.join(tmp, 'xdg'),
      tmp: path.join(tmp, 't'), // code-server's sockets (vscode-ipc-*.sock) go with the session
      profile: path.join(tmp, 'chromium-profile'),
      workspace: path.join(tmp, 'examples'),
    };
    let server: ChildProcess | undefined;
    let context: BrowserContext | undefined;
    try {
      for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
      fs.cpSync(options.workspace ?? path.join(ROOT, 'examples'), dirs.workspace, { recursive: true });
      writeUserSettings(dirs.userData, options.settings);

      const extensionDir = options.extensionDir ?? ROOT;
      const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
      const env = { ...codeServerEnv(dirs.xdg), TMPDIR: dirs.tmp, ...options.env };
      if (!options.extensionTests) {
        const vsix = packageExtension(extensionDir, tmp);
        execFileSync(process.execPath, [tools.codeServerEntry, ...common, '--install-extension', vsix], {
          env, stdio: ['ignore', 'pipe', 'pipe'], timeout: WAIT_MS,
        });
      }

      const port = await freePort();
      const logFd = fs.openSync(path.join(tmp, 'code-server.log'), 'a');
      server = spawn(process.execPath, [
        tools.codeServerEntry, ...common,
        '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
        dirs.workspace,
      ], { env, detached: true, stdio: ['ignore', logFd, logFd] }); // detached: own process group
      fs.closeSync(logFd);
      trackServer(server, tmp);

      const base = `http://127.0.0.1:${port}`;
      await waitForHealthz(base, server);
      context = await chromium.launchPersistentContext(dirs.profile, {
        executablePath: tools.chromium,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1400, height: 900 },
      });
      context.setDefaultTimeout(WAIT_MS);
      const page = context.pages()[0] ?? (await context.newPage());
      let url = `${base}/?folder=${encodeURIComponent(dirs.workspace)}`;
      let extensionTestsExit: Promise<number> | undefined;
      if (options.extensionTests) {
        // The web workbench takes development options from its URL's `payload` (as VS Code's
        // "Extension Development Host" window does) and reports the tests' exit code by calling
        // window.codeAutomationExit; paths are on the server, so vscode-remote URIs.
        const remote = (file: string) => `vscode-remote://127.0.0.1:${port}${file}`;
        const payload = [['extensionDevelopmentPath', remote(extensionDir)], ['extensionTestsPath', remote(options.extensionTests)]];
        url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        let exited: (code: number) => void = () => undefined;
        extensionTestsExit = new Promise((resolve) => (exited = resolve));
        await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
      }
      await page.goto(url);
      await page.locator('.monaco-workbench .part.editor').waitFor();
      await page.locator('.explorer-folders-view, .welcome-view').first().waitFor();
      return new VsCodeSession(page, dirs.workspace, tmp, server, context, extensionTestsExit);
    } catch (err) {
      await context?.close().catch(() => undefined);
      if (server) await stopGroup(server);
      const log = readLog(tmp);
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new Error(`VS Code did not start: ${(err as Error).message}\n--- code-server log ---\n${log}`);
    }
  }

  /** Opens a workspace file through Quick Open (Ctrl+P). */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(name) }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: path.basename(name) }).waitFor();
    await this.editor().locator('.view-lines').waitFor();
    await this.focusEditor();
  }

  /** Runs a command by its palette label, e.g. "View: Focus Problems". */
  async runCommand(label: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    // The palette filters commands once, as typed: one enabled a moment later (a command that needs
    // a trusted workspace, while trust is still being settled) is only listed when asked again.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await this.page.keyboard.press('Control+Shift+P');
      await input.waitFor();
      await input.fill(`>${label}`);
      const left = deadline - Date.now();
      const listed = await row.waitFor({ timeout: Math.max(1, Math.min(10_000, left)) }).then(
        () => true,
        (error: unknown) => {
          if (Date.now() >= deadline) throw error;
          return false;
        },
      );
      if (listed) break;
      await this.page.keyboard.press('Escape');
    }
    await this.page.keyboard.press('Enter');
    // The palette is gone once the widget hides, or once it holds something else: a command that
    // asks at once (a picker of its own) reuses the same widget, which may then never be seen hidden.
    await this.page.waitForFunction(paletteGone, `>${label}`);
  }

  /** Waits for a warning or error squiggle in the active editor and returns it. */
  async waitForSquiggle(kind: 'warning' | 'error' | 'any' = 'any'): Promise<Locator> {
    const selector = kind === 'any' ? '.squiggly-warning, .squiggly-error' : `.squiggly-${kind}`;
    const squiggle = this.editor().locator(selector).first();
    await squiggle.waitFor();
    return squiggle;
  }

  /**
   * Opens the Problems panel (Ctrl+Shift+M) and returns its visible markers once one contains
   * `expect`. With `file`, the panel is filtered to that file first: the list only renders the
   * rows in view, so a long list would hide the rest.
   */
  async problems(expect: string, file?: string): Promise<Problem[]> {
    await this.page.keyboard.press('Control+Shift+M');
    if (file) {
      await this.page.locator('.part.panel .viewpane-filter input').fill(`**/${file}`);
      await this.page.locator('.part.panel .viewpane-filter-badge', { hasText: 'Showing' }).waitFor();
    }
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: expect }).first().waitFor();
    // Rows are file headers ("train.py", count) each followed by that file's markers.
    const problems: Problem[] = [];
    let header = '';
    for (const text of await rows.allInnerTexts()) {
      const at = /\[Ln (\d+), Col (\d+)\]/.exec(text);
      if (at) problems.push({ file: header, text, line: Number(at[1]), column: Number(at[2]) });
      else header = text.split('\n')[0].trim();
    }
    return problems;
  }

  /** Puts the cursor at a 1-based line:column of the active editor (Go to Line, Ctrl+G). */
  async goTo(line: number, column: number): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`); // Go to Line keeps its ":" prefix in the box
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Shows the hover at a 1-based line:column (palette "Show or Focus Hover"); returns its settled text. */
  async hover(line: number, column: number, expect: string | RegExp = /\S/): Promise<string> {
    await this.goTo(line, column);
    await this.runCommand('Show or Focus Hover');
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden)', { hasText: expect }).first();
    await hover.waitFor();
    return settledText(hover);
  }

  /**
   * Opens Quick Fix (Ctrl+.) at a 1-based line:column and applies the first action whose label
   * starts with `labelPrefix`; `screenshot` names a PNG taken while the menu is open.
   */
  async quickFix(line: number, column: number, labelPrefix: string, screenshot?: string): Promise<void> {
    await this.goTo(line, column);
    await this.page.keyboard.press('Control+.');
    const items = this.page.locator('.action-widget .monaco-list-row.action');
    await items.first().waitFor();
    const labels = await items.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
    if (!labels.some((l) => l.startsWith(labelPrefix))) {
      throw new Error(`no quick fix starting with "${labelPrefix}"; offered: ${JSON.stringify(labels)}`);
    }
    // The widget blocks pointer events while open, so walk the list with the keyboard.
    const focused = this.page.locator('.action-widget .monaco-list-row.action.focused');
    for (let i = 0; i <= labels.length; i++) {
      const label = await focused.getAttribute('aria-label');
      if (label?.startsWith(labelPrefix)) {
        if (screenshot) await this.screenshot(screenshot);
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden' });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not focus the quick fix "${labelPrefix}" in ${JSON.stringify(labels)}`);
  }

  /**
   * Saves the active editor (Ctrl+S) and waits until the file on disk satisfies `done`. An edit
   * just applied (a quick fix) may land after the first save, so while the tab is still dirty it
   * saves again every few seconds.
   */
  async saveAndWaitForFile(file: string, done: (content: string) => boolean): Promise<string> {
    const deadline = Date.now() + WAIT_MS;
    for (let lastSave = 0; ; await delay(200)) {
      const content = this.readFile(file);
      if (done(content)) return content;
      if (Date.now() > deadline) throw new Error(`${file} did not reach the expected content:\n${content}`);
      if (Date.now() - lastSave > 5_000 && (lastSave === 0 || (await this.activeTabIsDirty()))) {
        await this.focusEditor();
        await this.page.keyboard.press('Control+S');
        lastSave = Date.now();
      }
    }
  }

  private async activeTabIsDirty(): Promise<boolean> {
    return (await this.page.locator('.tabs-container .tab.active.dirty').count()) > 0;
  }

  readFile(file: string): string {
    return fs.readFileSync(path.join(this.workspaceDir, file), 'utf8');
  }

  /** Text of the visible lines of the active editor (non-breaking spaces turned back into spaces). */
  async editorText(): Promise<string> {
    return (await this.editor().locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
  }

  /** Saves a PNG into test/artifacts/e2e/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, name.endsWith('.png') ? name : `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Keeps what explains a failure: a screenshot, code-server's log and VS Code's logs. */
  async saveFailureArtifacts(name: string): Promise<void> {
    const dir = path.join(ARTIFACTS, `failure-${name}`);
    fs.mkdirSync(dir, { recursive: true });
    await this.page.screenshot({ path: path.join(dir, 'screen.png') }).catch(() => undefined);
    fs.writeFileSync(path.join(dir, 'code-server.log'), readLog(this.tmp));
    const logs = path.join(this.tmp, 'user-data', 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(dir, 'vscode-logs'), { recursive: true });
    process.stderr.write(`e2e failure artifacts: ${path.relative(ROOT, dir)}\n`);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await stopGroup(this.server);
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  private editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  private async focusEditor(): Promise<void> {
    await this.editor().locator('textarea, .native-edit-context').first().focus();
  }

  /** 1-based line:column of the first occurrence of `text` in a workspace file. */
  positionOf(file: string, text: string): { line: number; column: number } {
    const lines = this.readFile(file).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const col = lines[i].indexOf(text);
      if (col >= 0) return { line: i + 1, column: col + 1 };
    }
    throw new Error(`"${text}" not found in ${file}`);
  }
}

/** Runs `body` with a fresh session; on failure keeps artifacts; always closes. */
export async function withVsCode(
  name: string,
  body: (vs: VsCodeSession) => Promise<void>,
  options?: SessionOptions,
): Promise<void> {
  const vs = await VsCodeSession.start(options);
  try {
    await body(vs);
  } catch (err) {
    await vs.saveFailureArtifacts(name);
    throw err;
  } finally {
    await vs.close();
  }
}

function writeUserSettings(userData: string, extra: Record<string, unknown> = {}): void {
  // Quiet, deterministic workbench: no welcome page, tips, trust prompts or auto-save races.
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'files.autoSave': 'off',
    'git.enabled': false,
    ...extra,
  };
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

function codeServerEnv(xdg: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // VSCODE_* from an enclosing VS Code terminal would send --install-extension to that window.
    if (!k.startsWith('VSCODE_')) env[k] = v;
  }
  // Caches in the temp dir too: no test reads or fills the Hugging Face or PTM Lens caches of this machine.
  return {
    ...env,
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    HF_HOME: path.join(xdg, 'hf'),
    HF_HUB_CACHE: path.join(xdg, 'hf', 'hub'),
    HF_TOKEN: '',
  };
}

function packageExtension(extensionDir: string, tmp: string): string {
  const vsix = path.join(tmp, 'ptm-lens.vsix');
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  try {
    execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', vsix], {
      cwd: extensionDir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 2 * WAIT_MS,
    });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`vsce package failed in ${extensionDir}: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  return vsix;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealthz(base: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited with code ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await delay(250);
  }
  throw new Error(`code-server did not answer ${base}/healthz within ${WAIT_MS / 1000}s`);
}

// code-server runs in its own process group (detached) so that the extension host and the
// language server end with it. Groups still alive when this process ends are killed here,
// and their temp dirs removed.
const liveServers = new Map<ChildProcess, string>();
let exitHooksInstalled = false;

function killAllNow(): void {
  for (const [child, tmp] of liveServers) {
    killGroup(child, 'SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function trackServer(child: ChildProcess, tmp: string): void {
  if (!exitHooksInstalled) {
    exitHooksInstalled = true;
    process.on('exit', killAllNow);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      // Playwright's own signal handlers keep the process alive, so exit explicitly.
      process.once(sig, () => {
        killAllNow();
        process.exit(128 + os.constants.signals[sig]);
      });
    }
  }
  liveServers.set(child, tmp);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  killGroup(child, 'SIGKILL'); // children may outlive their parent briefly
  liveServers.delete(child);
}

/** Text of `el` once it stops changing: providers fill a hover one after another. */
async function settledText(el: Locator): Promise<string> {
  let last = await el.innerText();
  for (let stable = 0, t = 0; stable < 3 && t < WAIT_MS; t += 250) {
    await delay(250);
    const now = await el.innerText();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

function readLog(tmp: string): string {
  try {
    return fs.readFileSync(path.join(tmp, 'code-server.log'), 'utf8');
  } catch {
    return '(no code-server log)';
  }
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
