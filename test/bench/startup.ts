// What start-up costs, and what loading onnxruntime lazily saves: the bundled language server's
// time to answer `initialize` and its memory then (onnxruntime must not be mapped yet), against a
// plain Node process that loads onnxruntime-node, as the server would if it loaded it eagerly.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createProtocolConnection, ExitNotification, InitializeRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

export interface StartupResult {
  /** Spawn -> InitializeResult received, median of runs. */
  serverInitializeMs: number;
  serverRssAfterInitializeMb: number;
  /** True when a shared object of onnxruntime is mapped into the server after initialize (it must not be). */
  onnxruntimeMappedAtStart: boolean;
  /** A bare Node process: RSS before and after require('onnxruntime-node'), and the require's time. */
  onnxruntimeRequireMs: number;
  onnxruntimeRssMb: number;
  clientBundleKb: number;
  /** The client bundle never requires onnxruntime: the extension host never loads it. */
  clientRequiresOnnxruntime: boolean;
}

const rssMb = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function startServerOnce(serverJs: string): Promise<{ ms: number; rssMb: number; ortMapped: boolean }> {
  const started = performance.now();
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
    const ms = performance.now() - started;
    const maps = readFileSync(`/proc/${child.pid}/maps`, 'utf8');
    return { ms, rssMb: rssMb(child.pid!), ortMapped: /onnxruntime/.test(maps) };
  } finally {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection.dispose();
    child.kill();
  }
}

export async function measureStartup(serverJs: string, clientJs: string, runs = 5): Promise<StartupResult> {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await startServerOnce(serverJs));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const probe = spawnSync(process.execPath, ['-e', `
    const rss = () => Number(/^VmRSS:\\s+(\\d+) kB/m.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
    const before = rss(); const t = performance.now();
    require('onnxruntime-node');
    console.log(JSON.stringify({ ms: performance.now() - t, mb: rss() - before }));
  `], { encoding: 'utf8' });
  const ort = probe.status === 0 ? JSON.parse(probe.stdout) : { ms: NaN, mb: NaN };
  const client = readFileSync(clientJs, 'utf8');
  return {
    serverInitializeMs: median(samples.map((s) => s.ms)),
    serverRssAfterInitializeMb: median(samples.map((s) => s.rssMb)),
    onnxruntimeMappedAtStart: samples.some((s) => s.ortMapped),
    onnxruntimeRequireMs: ort.ms,
    onnxruntimeRssMb: ort.mb,
    clientBundleKb: statSync(clientJs).size / 1024,
    clientRequiresOnnxruntime: /require\(["']onnxruntime/.test(client),
  };
}
