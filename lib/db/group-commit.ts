interface Waiting<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: items submitted while a batch is being written wait, and all go in the next
 * batch; with nothing in flight, an item goes out once the I/O ready with it has been handled
 * (or after `windowMs`), with whatever arrived meanwhile. Each caller waits for its own
 * batch and gets its own result, so nothing is acknowledged before it is written. Under load
 * this turns a statement per item into a statement per batch, on the database and in this
 * process. `write` answers each item of a batch, in order; if it throws, each item is written
 * again alone, so one item's failure stays its own.
 */
export class GroupCommit<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private flushing = false;
  /** How many batches carried how many items (for tests and benchmarks). */
  readonly stats = { batches: 0, items: 0 };

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly opts: {
      /** The most items a batch carries. */
      max?: number;
      /** Items with different keys never share a batch. */
      key?: (item: T) => unknown;
      /**
       * How long the first item waits for others when nothing is in flight. Under load it costs
       * nothing (batches follow each other at once); when idle it adds this much latency, for
       * larger batches, and so less CPU per item, as load builds.
       */
      windowMs?: number;
    } = {},
  ) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.flushing) return;
      // Started after the I/O that is ready now has been handled (and, with a window, what
      // arrives within it), so what arrived together joins.
      this.flushing = true;
      const { windowMs = 0 } = this.opts;
      if (windowMs > 0) setTimeout(() => void this.flush(), windowMs);
      else setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const { max = 500, key } = this.opts;
    while (this.waiting.length > 0) {
      const first = key?.(this.waiting[0]!.item);
      const batch = this.waiting.filter((w) => !key || key(w.item) === first).slice(0, max);
      const taken = new Set(batch);
      this.waiting = this.waiting.filter((w) => !taken.has(w));
      await this.run(batch);
    }
    this.flushing = false;
  }

  private async run(batch: Waiting<T, R>[]): Promise<void> {
    this.stats.batches++;
    this.stats.items += batch.length;
    try {
      const results = await this.write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (e) {
      if (batch.length === 1) return batch[0]!.reject(e);
      await Promise.all(batch.map((w) => this.run([w])));
    }
  }
}
