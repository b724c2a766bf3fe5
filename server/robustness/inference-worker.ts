// onnxruntime-node runs session.run synchronously on the calling thread (its promise only
// defers the call). The probe therefore runs its session on a worker thread, so the attacks'
// own arithmetic on the main thread overlaps the model's work on another batch. The worker is
// a few lines of plain JavaScript evaluated in place: no extra bundle entry, and it finds
// onnxruntime-node at the path the main thread resolved.
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
let session;
let queue = Promise.resolve();
async function run(m) {
  const started = performance.now();
  try {
    const outputs = await session.run({ [m.input]: new ort.Tensor('float32', m.data, m.dims) });
    const ms = performance.now() - started;
    const out = outputs[m.output] || outputs[session.outputNames[0]];
    const scores = Float32Array.from(out.data);
    // The tensor buffer goes back to the main thread for reuse.
    parentPort.postMessage({ id: m.id, scores, data: m.data, ms }, [scores.buffer, m.data.buffer]);
  } catch (error) { fail(m.id, error); }
}
const fail = (id, error) => parentPort.postMessage({ id, error: String((error && error.message) || error) });
parentPort.on('message', async (m) => {
  if (m.type === 'load') {
    try {
      session = await ort.InferenceSession.create(m.path, m.options);
      parentPort.postMessage({ id: m.id, outputNames: session.outputNames });
    } catch (error) { fail(m.id, error); }
  } else if (m.type === 'run') {
    // One run at a time: session.run only defers its work, so a second message's clock would
    // otherwise start while the first run is pending and count that run again.
    queue = queue.then(() => run(m));
  } else if (m.type === 'replay') {
    // The bench's raw baseline: session.run at each size in turn on views of one packed buffer,
    // on this thread like the probe's runs, timed here without any message per run.
    queue = queue.then(async () => {
      try {
        const started = performance.now();
        for (const n of m.batches) await session.run({ [m.input]: new ort.Tensor('float32', m.data.subarray(0, n * m.per), [n, ...m.dims]) });
        parentPort.postMessage({ id: m.id, ms: performance.now() - started });
      } catch (error) { fail(m.id, error); }
    });
  } else if (m.type === 'release') {
    await queue;
    try { if (session) await session.release(); } catch {}
    parentPort.postMessage({ id: m.id });
  }
});
`;

interface Reply {
  id: number;
  error?: string;
  outputNames?: string[];
  scores?: Float32Array;
  data?: Float32Array;
  ms?: number;
}

export interface RunReply {
  scores: Float32Array;
  /** The tensor buffer, handed back (it was moved to the worker). */
  data: Float32Array;
  /** Time session.run took in the worker. */
  ms: number;
}

/** One onnxruntime session on its own thread; runs are queued in order. */
export class InferenceWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
  private nextId = 0;
  /** Messages posted to the thread (the tests count them). */
  messages = 0;
  private failure: Error | undefined;

  private constructor(ortPath: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath } });
    this.worker.on('message', (reply: Reply) => {
      const entry = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.error !== undefined) entry?.reject(new Error(reply.error));
      else entry?.resolve(reply);
    });
    const stop = (error: Error) => {
      // A thread released on purpose keeps saying so.
      this.failure ??= error;
      for (const entry of this.waiting.values()) entry.reject(this.failure);
      this.waiting.clear();
    };
    this.worker.on('error', stop);
    this.worker.on('exit', (code) => stop(new Error(`the inference thread exited (code ${code})`)));
  }

  /** Starts the thread and loads the model there; rejects with onnxruntime's message. */
  static async start(ortPath: string, modelPath: string, options: Record<string, unknown>): Promise<{ worker: InferenceWorker; outputNames: string[] }> {
    const worker = new InferenceWorker(ortPath);
    try {
      const reply = await worker.call({ type: 'load', path: modelPath, options });
      return { worker, outputNames: reply.outputNames ?? [] };
    } catch (error) {
      await worker.terminate();
      throw error;
    }
  }

  /** One session.run; `data` (with its whole buffer) moves to the worker and comes back in the reply. */
  async run(input: string, output: string, data: Float32Array, dims: number[]): Promise<RunReply> {
    const reply = await this.call({ type: 'run', input, output, data, dims }, [data.buffer as ArrayBuffer]);
    return { scores: reply.scores!, data: reply.data!, ms: reply.ms! };
  }

  /**
   * session.run once per size in `batches` on `data`'s first images (`per` values each, image
   * dims `dims`), in order, on the worker thread; resolves with the time the runs took there.
   */
  async replay(input: string, data: Float32Array, per: number, dims: number[], batches: number[]): Promise<number> {
    const reply = await this.call({ type: 'replay', input, data, per, dims, batches });
    return reply.ms!;
  }

  async release(): Promise<void> {
    if (!this.failure) await this.call({ type: 'release' }).catch(() => undefined);
    await this.terminate();
  }

  private async terminate(): Promise<void> {
    this.failure ??= new Error('the inference thread was released');
    await this.worker.terminate();
  }

  private call(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.messages++;
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }
}
