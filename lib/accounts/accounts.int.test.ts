import { afterAll, describe, expect, it } from "vitest";
import { testDb, uniqueEmail, uniqueName } from "@/lib/testing/db";
import { AppError } from "@/lib/kernel/errors";
import { verifyPassword } from "@/lib/accounts/password";
import { createUser } from "./users";
import { addMember, createOrg } from "./orgs";
import { resolveOrgAccess } from "./access";
import { ORG_ROLES, type OrgRoleName } from "./roles";

const db = testDb();
afterAll(() => db.$disconnect());

describe("users and organizations", () => {
  it("creates a user with an argon2id hash and a personal billing account", async () => {
    const email = uniqueEmail();
    const user = await createUser(db, {
      email: email.toUpperCase(),
      password: "correct horse battery",
      plan: "pro",
    });
    expect(user.email).toBe(email);
    expect(user.billingAccount).toMatchObject({
      kind: "user",
      plan: "pro",
      thresholdCents: 10_000,
      spendingLimitCents: null,
    });
    const stored = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { passwordHash: true },
    });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored.passwordHash!, "correct horse battery")).toBe(true);
    expect(await verifyPassword(stored.passwordHash!, "wrong")).toBe(false);
  });

  it("never returns the password hash unless asked for by name", async () => {
    const user = await createUser(db, {
      email: uniqueEmail(),
      password: "correct horse battery",
      plan: "free",
    });
    const read = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(read).not.toHaveProperty("passwordHash");
  });

  it("refuses a taken email with 409 and creates nothing", async () => {
    const email = uniqueEmail();
    await createUser(db, { email, password: "correct horse battery", plan: "free" });
    const before = await db.billingAccount.count();
    await expect(createUser(db, { email, password: "another password", plan: "pro" })).rejects.toMatchObject({
      status: 409,
      code: "email_taken",
    });
    expect(await db.billingAccount.count()).toBe(before);
  });

  it("creates an org with its seats, and refuses a taken name", async () => {
    const name = uniqueName();
    const org = await createOrg(db, { name, plan: "team", seats: 5 });
    expect(org.billingAccount).toMatchObject({ kind: "org", plan: "team", seats: 5 });
    await expect(createOrg(db, { name, plan: "enterprise", seats: 1 })).rejects.toMatchObject({
      code: "org_name_taken",
    });
  });

  it("the database itself refuses a user on an org plan", async () => {
    await expect(
      db.user.create({
        data: { email: uniqueEmail(), name: "x", billingAccount: { create: { kind: "user", plan: "team" } } },
      }),
    ).rejects.toThrow();
  });

  it("adds a member, and changes the role when added again", async () => {
    const org = await createOrg(db, { name: uniqueName(), plan: "team", seats: 2 });
    const user = await createUser(db, {
      email: uniqueEmail(),
      password: "correct horse battery",
      plan: "free",
    });
    await addMember(db, { orgName: org.name, email: user.email, role: "read" });
    const { membership } = await addMember(db, { orgName: org.name, email: user.email, role: "admin" });
    expect(membership.role).toBe("admin");
    expect(await db.membership.count({ where: { orgId: org.id } })).toBe(1);
    await expect(
      addMember(db, { orgName: "no-such-org-x", email: user.email, role: "read" }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      addMember(db, { orgName: org.name, email: "nobody@test.example", role: "read" }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("org access: the one authorization check", () => {
  it("allows exactly the roles at or above what is required, reading the role from the database", async () => {
    const org = await createOrg(db, { name: uniqueName(), plan: "enterprise", seats: 4 });
    const members = {} as Record<OrgRoleName, string>;
    for (const role of ORG_ROLES) {
      const user = await createUser(db, {
        email: uniqueEmail(role),
        password: "correct horse battery",
        plan: "free",
      });
      await addMember(db, { orgName: org.name, email: user.email, role });
      members[role] = user.id;
    }
    const rank = { read: 0, contributor: 1, write: 2, admin: 3 };
    for (const role of ORG_ROLES) {
      for (const required of ORG_ROLES) {
        const attempt = resolveOrgAccess(db, { userId: members[role], orgName: org.name, required });
        if (rank[role] >= rank[required]) await expect(attempt).resolves.toMatchObject({ role });
        else await expect(attempt).rejects.toMatchObject({ status: 403, code: "forbidden" });
      }
    }
    // A demotion takes effect on the next request: nothing is cached in the session.
    await db.membership.update({
      where: { orgId_userId: { orgId: org.id, userId: members.admin } },
      data: { role: "read" },
    });
    await expect(
      resolveOrgAccess(db, { userId: members.admin, orgName: org.name, required: "admin" }),
    ).rejects.toBeInstanceOf(AppError);
  });

  it("answers 403 not_org_member to a member of another org, and 404 to an unknown org", async () => {
    const a = await createOrg(db, { name: uniqueName("a"), plan: "team", seats: 1 });
    const b = await createOrg(db, { name: uniqueName("b"), plan: "team", seats: 1 });
    const user = await createUser(db, {
      email: uniqueEmail(),
      password: "correct horse battery",
      plan: "free",
    });
    await addMember(db, { orgName: a.name, email: user.email, role: "admin" });
    await expect(
      resolveOrgAccess(db, { userId: user.id, orgName: b.name, required: "read" }),
    ).rejects.toMatchObject({
      status: 403,
      code: "not_org_member",
    });
    await expect(
      resolveOrgAccess(db, { userId: user.id, orgName: "missing-org-zz", required: "read" }),
    ).rejects.toMatchObject({
      status: 404,
      code: "org_not_found",
    });
  });
});
