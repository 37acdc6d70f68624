/** What the traffic's answers say the ledger must hold afterwards (checked by agreement.ts). */
export interface Expected {
  /** Router request ids answered 200 (X-Request-Id), with the billing account they bill. */
  routerOk: Map<string, string>;
  /** Router requests answered 200 per billing account. */
  routerOkByAccount: Map<string, number>;
  /** Router requests sent and never answered, per account: billed or not, nobody can tell. */
  routerUnanswered: Map<string, number>;
  /** Usage event ids acknowledged as recorded or duplicate, with the account they bill. */
  eventsAcked: Map<string, string>;
  /** Event ids refused in a 200 answer or sent in a batch answered with an error. */
  eventsRejected: Set<string>;
  /** The ids of batches sent and never answered: each must be stored whole or not at all. */
  batchesUnanswered: string[][];
}

export const newExpected = (): Expected => ({
  routerOk: new Map(),
  routerOkByAccount: new Map(),
  routerUnanswered: new Map(),
  eventsAcked: new Map(),
  eventsRejected: new Set(),
  batchesUnanswered: [],
});

export const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
