// Merges the predict calls that concurrent per-image attacks issue in the same tick into one
// model call (split at maxBatch), so a run over many images sends the model large batches
// even when each attack asks for a handful of images at a time.
import type { BatchClassifier } from './types';

interface Request {
  images: readonly Float32Array[];
  resolve(scores: Float32Array[]): void;
  reject(error: unknown): void;
}

export class MicroBatcher implements BatchClassifier {
  readonly classes: number;
  readonly shape: readonly [number, number, number];
  /** Calls made to the wrapped model. */
  modelCalls = 0;
  /** Images sent to the wrapped model. */
  images = 0;
  private pending: Request[] = [];
  private scheduled = false;

  constructor(
    private readonly model: BatchClassifier,
    private readonly maxBatch: number,
    private readonly signal?: AbortSignal,
  ) {
    this.classes = model.classes;
    this.shape = model.shape;
  }

  predict(images: readonly Float32Array[]): Promise<Float32Array[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ images, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the microtask queue drains: every attack resumed by the last
    // batch has issued its next call by then.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const requests = this.pending;
    this.pending = [];
    try {
      const all = requests.flatMap((r) => r.images);
      const scores: Float32Array[] = [];
      const send = (from: number) => {
        const part = all.slice(from, from + this.maxBatch);
        this.modelCalls++;
        this.images += part.length;
        return this.model.predict(part, this.signal).then((out) => {
          if (out.length !== part.length) throw new Error(`the model returned ${out.length} score vectors for ${part.length} images`);
          return out;
        });
      };
      // Split batches go out one ahead: the next part is already queued at a model that runs
      // off this thread when the current one finishes (two parts in memory at most).
      let current = send(0);
      for (let i = 0; i < all.length; i += this.maxBatch) {
        const next = i + this.maxBatch < all.length ? send(i + this.maxBatch) : undefined;
        // A failed part must not leave the next one's rejection unhandled.
        next?.catch(() => undefined);
        scores.push(...(await current));
        if (next) current = next;
      }
      let at = 0;
      for (const r of requests) {
        r.resolve(scores.slice(at, at + r.images.length));
        at += r.images.length;
      }
    } catch (error) {
      for (const r of requests) r.reject(error);
    } finally {
      this.scheduled = false;
      if (this.pending.length > 0) this.schedule();
    }
  }
}
