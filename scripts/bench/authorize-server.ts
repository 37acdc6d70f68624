// The server side of `npm run bench:authorize`, in its own process so the load generator never
// shares its event loop: GET /bare runs one query; GET /authorize runs the request path's billing.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { createPrismaClient, poolOf } from "@/lib/db/prisma";
import { authorizeRequest } from "@/lib/ledger/authorize";
import { settleHeld, settleUsage } from "@/lib/ledger/settle";
import { loadPriceBook } from "@/lib/pricing/price-book";

const db = createPrismaClient(process.env.DATABASE_URL!);
const pool = poolOf(db);
const orgName = process.env.BENCH_ORG!;
const org = await db.organization.findUniqueOrThrow({
  where: { name: orgName },
  include: { billingAccount: true, memberships: true },
});
const members = org.memberships.map((m) => m.userId);
const served = { providerId: "together", modelId: "meta-llama/Llama-3.3-70B-Instruct" };

// As the router does: the catalog is loaded once (lib/router/catalog.ts caches it), the hold
// returns the month it found and the settlement is one statement from it (settleHeld), both
// committed asynchronously (see poolOf).
const book = await loadPriceBook(db, [served]);

let n = 0;
const server = http.createServer(async (req, res) => {
  try {
    if (req.url === "/bare") {
      await pool.query("SELECT 1");
    } else {
      const userId = members[n++ % members.length]!;
      const requestId = `bench-${randomUUID()}`;
      const now = new Date();
      const maxCostNano = 2_000_000n;
      const { month } = await authorizeRequest(db, {
        userId,
        billTo: orgName,
        providerId: served.providerId,
        billingIntegrated: true,
        mode: "routed",
        requestId,
        maxCostNano,
        now,
        commit: "async",
      });
      const event = {
        id: requestId,
        accountId: org.billingAccount!.id,
        userId,
        ...served,
        mode: "routed" as const,
        inputTokens: 1_000,
        outputTokens: 700,
        computeMs: 0,
        occurredAt: now,
      };
      const opts = { book, commit: "async" as const };
      if (month) await settleHeld(db, [{ event, held: { holdNano: maxCostNano, month } }], opts);
      else await settleUsage(db, [event], opts);
    }
    res.writeHead(200).end("ok");
  } catch (e) {
    res.writeHead(500).end(String(e));
  }
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
