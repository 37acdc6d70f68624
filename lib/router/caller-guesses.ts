import type { CallerContext } from "@/lib/ledger/payer";

/**
 * The caller contexts the router saw last, per access token and payer: its guess at where a
 * request will go, so the one statement that admits it can already place the hold. Only ever a
 * guess (dispatch re-decides from the context that statement reads), so it needs no
 * invalidation; it is bounded, dropping the entries seen longest ago.
 */
export class CallerGuesses {
  private readonly seen = new Map<string, CallerContext>();

  constructor(private readonly capacity = 10_000) {}

  get(key: string): CallerContext | undefined {
    return this.seen.get(key);
  }

  set(key: string, context: CallerContext): void {
    this.seen.delete(key); // re-inserted last: the map's order is the order last seen
    this.seen.set(key, context);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value!);
  }

  delete(key: string): void {
    this.seen.delete(key);
  }
}
