import { afterAll, describe, expect, it } from "vitest";
import { authenticateApiToken } from "@/lib/auth/tokens";
import { testDb, uniqueEmail, uniqueName } from "@/lib/testing/db";
import { runProcess } from "@/lib/testing/run-process";

const db = testDb();
afterAll(() => db.$disconnect());

/** Runs the operator CLI exactly as documented: `npm run admin -- <command> ...`. */
const admin = (...args: string[]) => runProcess("npm", ["run", "admin", "--", ...args]);

describe("npm run admin", () => {
  it("creates a user, an org, a membership and a working token, each printing one JSON object", async () => {
    const email = uniqueEmail("cli");
    const org = uniqueName("cli");

    const user = await admin(
      "create-user",
      "--email",
      email,
      "--password",
      "a-long-password",
      "--plan",
      "pro",
    );
    expect(user.code, user.stderr).toBe(0);
    expect(JSON.parse(user.stdout)).toMatchObject({ user: { email, plan: "pro" } });

    const created = await admin("create-org", "--name", org, "--plan", "team", "--seats", "5");
    expect(JSON.parse(created.stdout)).toMatchObject({ org: { name: org, plan: "team", seats: 5 } });

    const member = await admin("add-member", "--org", org, "--email", email, "--role", "admin");
    expect(JSON.parse(member.stdout)).toEqual({ membership: { org, email, role: "admin" } });

    const token = await admin("create-token", "--email", email, "--name", "ci");
    const { token: value } = JSON.parse(token.stdout) as { token: string };
    const principal = await authenticateApiToken(db, value);
    expect(principal).toMatchObject({ kind: "user" });
  }, 60_000);

  it("answers bad arguments with a clear JSON error, exit code 2, and no change", async () => {
    const before = await db.user.count();
    const result = await admin(
      "create-user",
      "--email",
      "not-an-email",
      "--password",
      "a-long-password",
      "--plan",
      "pro",
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const { error } = JSON.parse(result.stderr) as { error: { code: string; message: string } };
    expect(error.code).toBe("invalid_arguments");
    expect(error.message).toMatch(/email/i);
    expect(await db.user.count()).toBe(before);
  }, 30_000);

  it("answers a refused operation (taken email) with exit code 1", async () => {
    const email = uniqueEmail("dup");
    await admin("create-user", "--email", email, "--password", "a-long-password", "--plan", "free");
    const again = await admin(
      "create-user",
      "--email",
      email,
      "--password",
      "a-long-password",
      "--plan",
      "free",
    );
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: "email_taken" } });
  }, 30_000);

  it("reconciles a month, with --repair as a switch that takes no value", async () => {
    const report = await admin("reconcile", "2030-06", "--repair");
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ month: "2030-06", differences: [] });
    const wrong = await admin("reconcile", "2030-06", "--repair", "yes");
    expect(wrong.code).toBe(2);
  }, 30_000);
});
