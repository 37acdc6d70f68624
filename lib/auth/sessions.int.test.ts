import { afterAll, describe, expect, it } from "vitest";
import { testDb, uniqueEmail } from "@/lib/testing/db";
import { createUser } from "@/lib/accounts/users";
import { endSession, isLiveSession, startSession } from "./sessions";

const db = testDb();
afterAll(() => db.$disconnect());

const newUser = () =>
  createUser(db, { email: uniqueEmail(), password: "correct horse battery", plan: "free" });

describe("server-side sessions", () => {
  it("a new session is live for its own user only", async () => {
    const user = await newUser();
    const other = await newUser();
    const sid = await startSession(db, user.id, 60);
    expect(await isLiveSession(db, sid, user.id)).toBe(true);
    expect(await isLiveSession(db, sid, other.id)).toBe(false);
  });

  it("ending a session ends it, and leaves the user's other sessions alone", async () => {
    const user = await newUser();
    const laptop = await startSession(db, user.id, 60);
    const phone = await startSession(db, user.id, 60);
    expect(laptop).not.toBe(phone);
    await endSession(db, laptop);
    expect(await isLiveSession(db, laptop, user.id)).toBe(false);
    expect(await isLiveSession(db, phone, user.id)).toBe(true);
  });

  it("an expired session is not live, and is swept at the user's next sign-in", async () => {
    const user = await newUser();
    const old = await startSession(db, user.id, 60);
    await db.session.update({ where: { id: old }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await isLiveSession(db, old, user.id)).toBe(false);
    await startSession(db, user.id, 60);
    expect(await db.session.count({ where: { id: old } })).toBe(0);
  });

  it("a token from before sessions existed, or a forged id, is not live", async () => {
    const user = await newUser();
    expect(await isLiveSession(db, undefined, user.id)).toBe(false);
    expect(await isLiveSession(db, "not-a-uuid", user.id)).toBe(false);
    expect(await isLiveSession(db, crypto.randomUUID(), user.id)).toBe(false);
    await expect(endSession(db, "not-a-uuid")).resolves.toBeUndefined();
  });
});
