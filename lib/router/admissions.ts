import type { Commit, Db } from "@/lib/db/prisma";
import { GroupCommit } from "@/lib/db/group-commit";
import { loadPayers, type PayerLookup, type PayerQuery } from "@/lib/limits/payer";

/**
 * The router's admissions, looked up together (GroupCommit): one loadPayers statement
 * authenticates, reads the context of, and places the holds for the requests that arrive while
 * the previous one is in flight. A refusal is its request's own.
 */
export function admissionQueue(db: Db, commit: Commit = "async") {
  const queue = new GroupCommit<PayerQuery, PayerLookup | Error>((batch) => loadPayers(db, batch, commit));
  return {
    stats: queue.stats,
    async admit(query: PayerQuery): Promise<PayerLookup> {
      const found = await queue.submit(query);
      if (found instanceof Error) throw found;
      return found;
    },
  };
}
export type AdmissionQueue = ReturnType<typeof admissionQueue>;
