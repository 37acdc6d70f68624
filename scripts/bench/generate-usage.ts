// The dashboard benchmark's data: many usage events for one account, streamed into
// usage_events with COPY (with a progress bar), then rolled up into usage_daily with the same
// GROUP BY the seed uses, so the rollups agree with the events to the nano-dollar.
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { ensureUsagePartitions } from "@/lib/db/usage-partitions";

export interface ServedModel {
  providerId: string;
  modelId: string;
  /** Nano-dollars per token, input and output (a flat price keeps the generator fast). */
  inNano: bigint;
  outNano: bigint;
}

const DAY_MS = 86_400_000;
const CHUNK = 20_000;

/** A progress bar on stderr: "[#####-----] 52% 5,200,000 / 10,000,000 · 61,000/s · 1m20s left". */
export function progressBar(label: string, total: number) {
  const start = performance.now();
  let last = 0;
  return {
    update(done: number) {
      const now = performance.now();
      if (now - last < 250 && done < total) return;
      last = now;
      const rate = done / ((now - start) / 1_000);
      const width = 30;
      const filled = Math.floor((done / total) * width);
      const left = rate > 0 ? (total - done) / rate : 0;
      const eta = `${Math.floor(left / 60)}m${String(Math.floor(left % 60)).padStart(2, "0")}s`;
      process.stderr.write(
        `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.floor((done / total) * 100)).padStart(3)}% ` +
          `${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} · ${Math.floor(rate).toLocaleString("en-US")}/s · ${eta} left   `,
      );
      if (done >= total) process.stderr.write("\n");
    },
  };
}

/**
 * `count` events for `accountId`, spread over the `days` UTC days before `end`, across the given
 * members and served models; one in ten uses a custom key. Deterministic (no randomness).
 */
export async function copyUsageEvents(
  pool: pg.Pool,
  input: {
    accountId: string;
    members: string[];
    served: ServedModel[];
    count: number;
    end: Date;
    days: number;
  },
) {
  const bar = progressBar("events", input.count);
  const spanMs = input.days * DAY_MS;
  const startMs = input.end.getTime() - spanMs;
  const hardware = "\\N";
  function* lines() {
    for (let i = 0; i < input.count; i += CHUNK) {
      let chunk = "";
      for (let j = i; j < Math.min(i + CHUNK, input.count); j++) {
        // Multiplicative hashing spreads events over time, models and members without a RNG.
        const h = Math.imul(j, 2654435761) >>> 0;
        const served = input.served[h % input.served.length]!;
        const member = input.members[(h >>> 8) % input.members.length]!;
        const custom = j % 10 === 0;
        const inputTokens = 100 + (h % 4_000);
        const outputTokens = 20 + ((h >>> 12) % 1_000);
        const cost = BigInt(inputTokens) * served.inNano + BigInt(outputTokens) * served.outNano;
        const at = new Date(startMs + Math.floor((j / input.count) * spanMs)).toISOString();
        chunk +=
          `b${String(j).padStart(10, "0")}\t${input.accountId}\t${member}\t${served.providerId}\t${served.modelId}\t${custom ? "custom_key" : "routed"}\t` +
          `${inputTokens}\t${outputTokens}\t0\t${hardware}\t${cost}\t0\t${custom ? 0 : cost}\t${at}\n`;
      }
      bar.update(Math.min(i + CHUNK, input.count));
      yield chunk;
    }
  }
  await ensureUsagePartitions(
    pool,
    Array.from({ length: input.days + 1 }, (_, d) => new Date(startMs + d * DAY_MS)),
  );
  const client = await pool.connect();
  try {
    await client.query("SET synchronous_commit = off");
    // The rows are valid by construction (ids of rows created above): skip the per-row foreign
    // key triggers, as a bulk load does. Needs superuser, which the bench's embedded server gives.
    await client.query("SET session_replication_role = replica");
    await pipeline(
      Readable.from(lines()),
      client.query(
        copyFrom(
          "COPY usage_events (id, account_id, user_id, provider_id, model_id, mode, input_tokens, output_tokens, compute_ms, hardware, cost_nano, credits_nano, payg_nano, occurred_at) FROM STDIN",
        ),
      ),
    );
  } finally {
    await client.query("RESET session_replication_role");
    client.release();
  }
}

/** usage_daily from usage_events for one account (the seed's rollup), then the planner's statistics. */
export async function rollUp(pool: pg.Pool, accountId: string) {
  await pool.query(
    `INSERT INTO usage_daily (account_id, day, provider_id, model_id, mode, user_id, requests,
                              input_tokens, output_tokens, compute_ms, cost_nano, credits_nano, payg_nano)
     SELECT account_id, (occurred_at AT TIME ZONE 'UTC')::date, provider_id, model_id, mode, user_id, count(*),
            sum(input_tokens), sum(output_tokens), sum(compute_ms), sum(cost_nano), sum(credits_nano), sum(payg_nano)
     FROM usage_events WHERE account_id = $1
     GROUP BY 1, 2, 3, 4, 5, 6`,
    [accountId],
  );
  await pool.query("ANALYZE usage_events; ANALYZE usage_daily");
}
