import type { Db } from "@/lib/db/prisma";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Server-side sessions behind the signed session cookie. A signed cookie alone stays valid
 * until it expires, whoever holds a copy; naming a row here lets sign-out end it for good.
 * A session lasts `maxAgeSeconds` from sign-in, however often it is used.
 */
export async function startSession(db: Db, userId: string, maxAgeSeconds: number): Promise<string> {
  const now = new Date();
  // The user's own expired sessions are swept here, so the table never grows without bound.
  await db.session.deleteMany({ where: { userId, expiresAt: { lte: now } } });
  const session = await db.session.create({
    data: { userId, expiresAt: new Date(now.getTime() + maxAgeSeconds * 1000) },
    select: { id: true },
  });
  return session.id;
}

/** Whether the session exists, belongs to the user and has not expired. */
export async function isLiveSession(db: Db, sessionId: unknown, userId: unknown): Promise<boolean> {
  if (typeof sessionId !== "string" || typeof userId !== "string" || !UUID.test(sessionId)) return false;
  const live = await db.session.findFirst({
    where: { id: sessionId, userId, expiresAt: { gt: new Date() } },
    select: { id: true },
  });
  return live !== null;
}

/** Ends one session (sign-out): every copy of its cookie stops working. */
export async function endSession(db: Db, sessionId: unknown): Promise<void> {
  if (typeof sessionId !== "string" || !UUID.test(sessionId)) return;
  await db.session.deleteMany({ where: { id: sessionId } });
}
