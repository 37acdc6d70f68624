import { afterAll, describe, expect, it } from "vitest";
import { testDb, uniqueEmail } from "@/lib/testing/db";
import { createUser } from "@/lib/accounts/users";
import { authenticateApiToken, createApiToken, hashToken, listApiTokens, revokeApiToken } from "./tokens";

const db = testDb();
afterAll(() => db.$disconnect());

const newUser = () =>
  createUser(db, { email: uniqueEmail(), password: "correct horse battery", plan: "free" });

describe("access tokens", () => {
  it("stores only a hash and the last 4 characters", async () => {
    const user = await newUser();
    const { token, record } = await createApiToken(db, { userId: user.id, name: "laptop" });
    expect(record.last4).toBe(token.slice(-4));
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: record.id }, omit: { tokenHash: false } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it("authenticates as its user and records when it was last used", async () => {
    const user = await newUser();
    const { token, record } = await createApiToken(db, { userId: user.id, name: "ci" });
    expect(await authenticateApiToken(db, token)).toEqual({
      kind: "user",
      userId: user.id,
      tokenId: record.id,
      // Existing and new tokens alike: every permission, no expiry, any org of the user.
      scope: {
        expiresAt: null,
        permissions: ["inference", "read", "write"],
        billToAny: true,
        billToOrgs: [],
      },
    });
    const [listed] = await listApiTokens(db, user.id);
    expect(listed!.lastUsedAt).toBeInstanceOf(Date);
    expect(await authenticateApiToken(db, token + "x")).toBeNull();
    expect(await authenticateApiToken(db, "not-a-token")).toBeNull();
  });

  it("stops working the moment it is revoked, and disappears from the list", async () => {
    const user = await newUser();
    const { token, record } = await createApiToken(db, { userId: user.id, name: "old" });
    await revokeApiToken(db, { userId: user.id, tokenId: record.id });
    expect(await authenticateApiToken(db, token)).toBeNull();
    expect(await listApiTokens(db, user.id)).toEqual([]);
    await expect(revokeApiToken(db, { userId: user.id, tokenId: record.id })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("cannot be listed or revoked by another user", async () => {
    const owner = await newUser();
    const other = await newUser();
    const { token, record } = await createApiToken(db, { userId: owner.id, name: "mine" });
    expect(await listApiTokens(db, other.id)).toEqual([]);
    await expect(revokeApiToken(db, { userId: other.id, tokenId: record.id })).rejects.toMatchObject({
      status: 404,
    });
    expect(await authenticateApiToken(db, token)).not.toBeNull();
  });
});
