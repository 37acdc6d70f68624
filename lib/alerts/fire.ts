import type { Db } from "@/lib/db/prisma";
import { FULL_LEVEL } from "./levels";

/**
 * The 100% alert when a request is refused for want of credits or room under the limit: the
 * settlement statement fires levels from spend alone, and holds can fill the last percent.
 * Once per account, month and kind, like every level.
 */
export async function fireAlertAtRefusal(
  db: Db,
  input: {
    accountId: string;
    period: Date;
    kind: "credits" | "spending_limit";
    usedNano: bigint;
    capNano: bigint | null;
  },
): Promise<void> {
  if (input.capNano === null || input.capNano <= 0n) return;
  await db.$executeRaw`
    INSERT INTO alerts (account_id, period, kind, level, used_nano, cap_nano)
    VALUES (${input.accountId}::uuid, ${input.period.toISOString().slice(0, 10)}::date, ${input.kind}::"AlertKind", ${FULL_LEVEL}, ${input.usedNano}, ${input.capNano})
    ON CONFLICT (account_id, period, kind, level) DO NOTHING`;
}
