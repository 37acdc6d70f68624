/** How far back `:fastest` looks, and how many timings it keeps per provider and model. */
export const THROUGHPUT_WINDOW_MS = 5 * 60_000;
const MAX_SAMPLES = 32;

interface Sample {
  at: number;
  tokens: number;
  ms: number;
}

/**
 * The router's own timings of each provider, kept in process: output tokens per second of
 * upstream time, over the recent window. Pooled (total tokens over total time), so one tiny
 * answer does not swing the figure.
 */
export class ThroughputWindow {
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly windowMs = THROUGHPUT_WINDOW_MS) {}

  record(providerId: string, modelId: string, tokens: number, ms: number, at = Date.now()): void {
    if (tokens <= 0 || !(ms > 0)) return; // nothing was generated, or nothing was timed
    const key = `${providerId}|${modelId}`;
    const list = (this.samples.get(key) ?? []).filter((s) => at - s.at < this.windowMs);
    list.push({ at, tokens, ms });
    this.samples.set(key, list.slice(-MAX_SAMPLES));
  }

  /**
   * Measured tokens per second of each provider of a model, as of `at`; a provider without a
   * timing in the window is absent. A copy, so one request decides on one reading.
   */
  snapshot(modelId: string, providerIds: readonly string[], at = Date.now()): Map<string, number> {
    const speeds = new Map<string, number>();
    for (const providerId of providerIds) {
      const recent = (this.samples.get(`${providerId}|${modelId}`) ?? []).filter(
        (s) => at - s.at < this.windowMs,
      );
      if (!recent.length) continue;
      const tokens = recent.reduce((n, s) => n + s.tokens, 0);
      const ms = recent.reduce((n, s) => n + s.ms, 0);
      speeds.set(providerId, (tokens * 1000) / ms);
    }
    return speeds;
  }
}
