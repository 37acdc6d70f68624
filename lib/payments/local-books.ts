import type { DbOrTx } from "@/lib/db/prisma";

export interface BookEntry {
  idempotencyKey: string;
  kind: "charge" | "hold" | "release";
  customerRef: string;
  amountCents: number;
  ref: string;
}

/**
 * The local processor's own record of the money it moved, entered once per idempotency key:
 * `enter` answers the entry first made with that key, as a real processor answers a repeated
 * request with its first result. Kept apart from billing's rows, so that checking one against
 * the other (conservation.ts) means something.
 */
export interface LocalBooks {
  enter(entry: BookEntry): Promise<BookEntry>;
  find(kind: BookEntry["kind"], ref: string): Promise<BookEntry | null>;
}

/** In one process only: tests of the processor itself. */
export function memoryBooks(): LocalBooks {
  const byKey = new Map<string, BookEntry>();
  return {
    async enter(entry) {
      if (!byKey.has(entry.idempotencyKey)) byKey.set(entry.idempotencyKey, entry);
      return byKey.get(entry.idempotencyKey)!;
    },
    async find(kind, ref) {
      return [...byKey.values()].find((e) => e.kind === kind && e.ref === ref) ?? null;
    },
  };
}

/** In the database (table local_processor_entries): shared by every process of the app. */
export function databaseBooks(db: DbOrTx): LocalBooks {
  return {
    async enter(entry) {
      await db.localProcessorEntry.createMany({ data: [entry], skipDuplicates: true });
      const first = await db.localProcessorEntry.findUniqueOrThrow({
        where: { idempotencyKey: entry.idempotencyKey },
      });
      return { ...first, kind: first.kind as BookEntry["kind"] };
    },
    async find(kind, ref) {
      const found = await db.localProcessorEntry.findFirst({ where: { kind, ref } });
      return found && { ...found, kind: found.kind as BookEntry["kind"] };
    },
  };
}
