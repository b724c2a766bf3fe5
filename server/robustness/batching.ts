// Merges the predict calls that concurrent per-image attacks issue in the same tick into one
// model call (split at maxBatch), so a run over many images sends the model large batches
// even when each attack asks for a handful of images at a time.
import type { BatchClassifier } from './types';

interface Request {
  images: readonly Float32Array[];
  resolve(scores: Float32Array[]): void;
  reject(error: unknown): void;
}

/** The requests merged into one flush, and the model calls (parts of maxBatch images) made for them so far. */
interface Round {
  requests: Request[];
  images: Float32Array[];
  parts: Promise<Float32Array[]>[];
  /** Images of the round already sent. */
  sent: number;
}

/** Parts of a split batch at the model at once (each holds a packed copy of its images). */
const MAX_IN_FLIGHT = 2;

const newRound = (): Round => ({ requests: [], images: [], parts: [], sent: 0 });

export class MicroBatcher implements BatchClassifier {
  readonly classes: number;
  readonly shape: readonly [number, number, number];
  /** Calls made to the wrapped model. */
  modelCalls = 0;
  /** Images sent to the wrapped model. */
  images = 0;
  private round = newRound();
  private scheduled = false;
  private inFlight = 0;
  private readonly slotFreed: (() => void)[] = [];

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
      const round = this.round;
      round.requests.push({ images, resolve, reject });
      for (const image of images) round.images.push(image);
      // A full part goes to the model as soon as the round holds it, while the attacks still
      // compute the rest of the round (a model off this thread starts on it meanwhile). The
      // parts are the round's images cut at every maxBatch, as the flush would cut them, so
      // what each model call holds does not depend on when it goes.
      while (this.inFlight < MAX_IN_FLIGHT && round.images.length - round.sent >= this.maxBatch) this.send(round);
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

  /** The round's next maxBatch images (or fewer, the last part) to the model. */
  private send(round: Round): void {
    const part = round.images.slice(round.sent, round.sent + this.maxBatch);
    round.sent += part.length;
    this.modelCalls++;
    this.images += part.length;
    this.inFlight++;
    const answer = this.model.predict(part, this.signal).then(
      (out) => {
        if (out.length !== part.length) throw new Error(`the model returned ${out.length} score vectors for ${part.length} images`);
        return out;
      },
    );
    const settled = () => {
      this.inFlight--;
      this.slotFreed.shift()?.();
    };
    answer.then(settled, settled);
    round.parts.push(answer);
  }

  private async flush(): Promise<void> {
    const round = this.round;
    this.round = newRound();
    try {
      // The rest of the round, in parts; at most MAX_IN_FLIGHT at the model, so the next part
      // is already queued at a model that runs off this thread when the current one finishes.
      while (round.sent < round.images.length) {
        while (this.inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => this.slotFreed.push(resolve));
        this.send(round);
      }
      const scores: Float32Array[] = [];
      for (const part of round.parts) scores.push(...(await part));
      let at = 0;
      for (const r of round.requests) {
        r.resolve(scores.slice(at, at + r.images.length));
        at += r.images.length;
      }
    } catch (error) {
      for (const r of round.requests) r.reject(error);
    } finally {
      this.scheduled = false;
      if (this.round.requests.length > 0) this.schedule();
    }
  }
}
