// Benches and the load test start things that must not outlive them: PostgreSQL, the app, a
// fake upstream, Portkey. Whatever starts one registers its stop here; runToEnd runs the work
// and then every stop, newest first, however the work ends: returned, threw, interrupted
// (SIGINT, SIGTERM) or over its time bound.

const stops: (() => Promise<unknown>)[] = [];

/** Registers `stop` for the end of the run; returns it, made safe to call more than once. */
export function onFinish(stop: () => Promise<unknown> | unknown): () => Promise<void> {
  let done: Promise<void> | null = null;
  const once = () =>
    (done ??= Promise.resolve()
      .then(stop)
      .then(() => undefined));
  stops.push(once);
  return once;
}

async function stopAll() {
  for (const stop of stops.splice(0).reverse()) await stop().catch((e: unknown) => console.error(e));
}

/**
 * Runs `main` (true or 0: success) and exits with its result once everything registered is
 * stopped. `boundSeconds` bounds the whole run, so nothing hangs CI.
 */
export async function runToEnd(main: () => Promise<boolean | number>, opts: { boundSeconds?: number } = {}) {
  const abort = (why: string) => {
    console.error(why);
    void stopAll().finally(() => process.exit(1));
  };
  const bound = opts.boundSeconds
    ? setTimeout(
        () => abort(`over its time bound (${opts.boundSeconds} s), stopping`),
        opts.boundSeconds * 1_000,
      )
    : undefined;
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => abort(`${signal}, stopping`));
  let ok = false;
  try {
    const result = await main();
    ok = result === true || result === 0;
  } catch (e) {
    console.error(e);
  } finally {
    clearTimeout(bound);
    await stopAll();
  }
  process.exit(ok ? 0 : 1);
}

/**
 * A bench's size: the environment variable when set, else the smoke size under BENCH_SMOKE=1
 * (what `npm test` runs: seconds, to prove the bench completes and its money checks hold), else
 * the full size.
 */
export function benchSize(variable: string, full: number, smoke: number): number {
  const set = process.env[variable];
  if (set !== undefined && set !== "") {
    const n = Number(set);
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new Error(`${variable} must be a positive integer, not ${set}`);
    return n;
  }
  return process.env.BENCH_SMOKE === "1" ? smoke : full;
}
