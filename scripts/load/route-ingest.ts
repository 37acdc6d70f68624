// POST /api/usage/events with a service token: batches of fresh events with unique ids from
// every user (the Team and Enterprise members' billed to their org half the time), and every
// tenth batch one already acknowledged, sent again, whose events must all come back duplicates.
import type { Expected } from "./expected";
import type { Population } from "./population";
import { newTally, recordError, type RouteSpec, type SeqContext } from "./tally";

const SERVED = [
  ["together", "meta-llama/Llama-3.3-70B-Instruct"],
  ["groq", "openai/gpt-oss-120b"],
  ["nebius", "meta-llama/Llama-3.1-8B-Instruct"],
  ["hf-inference", "meta-llama/Llama-3.1-8B-Instruct"],
] as const;
const RESEND_EVERY = 10;
const KEEP_FOR_RESEND = 64;

interface Batch {
  body: string;
  events: { id: string; accountId: string }[];
  resend: boolean;
}

interface IngestResult {
  id: string;
  status: string;
}

function resultsOf(body: string): IngestResult[] | null {
  try {
    return (JSON.parse(body) as { results?: IngestResult[] }).results ?? null;
  } catch {
    return null;
  }
}

export function ingestRoute(
  pop: Population,
  expected: Expected,
  input: { connections: number; batch: number; phase: string },
) {
  const tally = newTally();
  const pending = new Map<number, Batch>();
  const acknowledged: Batch[] = [];
  let next = 0;
  let n = 0;
  const start = pop.period.getTime();
  const span = pop.now.getTime() - start; // events happened earlier this month

  function freshBatch(seq: number): Batch {
    const events = Array.from({ length: input.batch }, (_, k) => {
      const i = n++;
      const user = pop.users[i % pop.users.length]!;
      const org =
        user.org && !user.org.capped && Math.floor(i / pop.users.length) % 2 === 0 ? user.org : null;
      const [provider, model] = SERVED[i % SERVED.length]!;
      const compute = provider === "hf-inference";
      return {
        id: `load-${input.phase}-${seq}-${k}`,
        userId: user.userId,
        ...(org ? { billTo: org.name } : {}),
        provider,
        model,
        mode: i % 10 === 0 ? "custom_key" : "routed",
        inputTokens: compute ? 0 : 100 + (i % 900),
        outputTokens: compute ? 0 : 20 + (i % 300),
        computeMs: compute ? 200 + (i % 5_000) : 0,
        occurredAt: new Date(start + ((i * 7_919_000) % span)).toISOString(),
        accountId: org?.accountId ?? user.accountId,
      };
    });
    return {
      body: JSON.stringify({ events: events.map(({ accountId: _, ...e }) => e) }),
      events: events.map((e) => ({ id: e.id, accountId: e.accountId })),
      resend: false,
    };
  }

  /** Every event of the batch came back, in order, as recorded (fresh) or duplicate (re-sent). */
  function acknowledges(batch: Batch, results: IngestResult[]): boolean {
    const want = batch.resend ? "duplicate" : "recorded";
    return (
      results.length === batch.events.length &&
      results.every((r, k) => r.id === batch.events[k]!.id && r.status === want)
    );
  }

  const spec: RouteSpec = {
    name: "ingest",
    connections: input.connections,
    tally,
    request: {
      method: "POST",
      path: "/api/usage/events",
      headers: { "content-type": "application/json", authorization: `Bearer ${pop.serviceToken}` },
      setupRequest(req, context) {
        const seq = next++;
        const old = acknowledged[Math.floor(seq / RESEND_EVERY) % Math.max(1, acknowledged.length)];
        const batch =
          seq % RESEND_EVERY === RESEND_EVERY - 1 && old ? { ...old, resend: true } : freshBatch(seq);
        (context as SeqContext).seq = seq;
        pending.set(seq, batch);
        tally.sent++;
        return { ...req, body: batch.body };
      },
      onResponse(status, body, context) {
        const seq = (context as SeqContext).seq!;
        const batch = pending.get(seq)!;
        pending.delete(seq);
        const results = status === 200 ? resultsOf(body) : null;
        if (results && acknowledges(batch, results)) {
          tally.ok++;
          tally.events += batch.events.length;
          for (const e of batch.events) expected.eventsAcked.set(e.id, e.accountId);
          if (!batch.resend) {
            acknowledged.push(batch);
            if (acknowledged.length > KEEP_FOR_RESEND) acknowledged.shift();
          }
          return;
        }
        recordError(tally, `${status} ${batch.resend ? "(re-sent batch) " : ""}${body}`);
        if (status !== 200) {
          // An error answer writes nothing (the batch is one transaction).
          for (const e of batch.events) expected.eventsRejected.add(e.id);
        } else if (!results) {
          expected.batchesUnanswered.push(batch.events.map((e) => e.id));
        } else {
          const accountOf = new Map(batch.events.map((e) => [e.id, e.accountId]));
          for (const r of results)
            if (r.status === "refused") expected.eventsRejected.add(r.id);
            else expected.eventsAcked.set(r.id, accountOf.get(r.id) ?? "not sent");
        }
      },
    },
  };
  const finish = () => {
    for (const batch of pending.values()) {
      expected.batchesUnanswered.push(batch.events.map((e) => e.id));
      recordError(tally, "no answer");
    }
    pending.clear();
  };
  return { spec, finish };
}
