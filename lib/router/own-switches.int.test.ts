import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chat from "@/app/v1/chat/completions/route";
import * as switches from "@/app/api/settings/providers/route";
import * as oneSwitch from "@/app/api/settings/providers/[provider]/route";
import { setProviderPreferences } from "@/lib/keys/provider-preferences";
import { setProviderEnabled } from "@/lib/org-controls/controls";
import { ingestUsage } from "@/lib/usage/ingest";
import { callRoute } from "@/lib/testing/call-route";
import { routerClient, routerRefusal, userToken } from "@/lib/testing/router-client";
import { testDb } from "@/lib/testing/db";
import { serveRoutes } from "@/lib/testing/serve-routes";
import { ensureTestCatalog, orgAccount, userAccount } from "@/lib/testing/billing-fixtures";

// Each user's own provider switches: the API, the router obeying them (with an org's on top),
// and ingestion obeying them as the router does.
const db = testDb();
let app: Awaited<ReturnType<typeof serveRoutes>>;
const LLAMA = "meta-llama/Llama-3.3-70B-Instruct";
const messages = [{ role: "user" as const, content: "hi" }];

beforeAll(async () => {
  await ensureTestCatalog(db);
  app = await serveRoutes({ "/v1/chat/completions": chat });
}, 60_000);
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

const tokenFor = (userId: string) => userToken(db, userId);
const openai = (token: string, billTo?: string) => routerClient(app.url, token, billTo);
const turn = (token: string, provider: string, enabled: unknown) =>
  callRoute(oneSwitch.PUT, { method: "PUT", token, params: { provider }, body: { enabled } });

describe("a user's own provider switches", () => {
  it("list every provider on, switch one off and on, audited once per change however often sent", async () => {
    const user = await userAccount(db, "pro");
    const token = await tokenFor(user.userId);
    const listed = await callRoute(switches.GET, { token });
    expect(listed.status).toBe(200);
    const providers = listed.json.providers as { id: string; enabled: boolean }[];
    expect(providers.find((p) => p.id === "groq")).toMatchObject({ enabled: true });
    expect(providers.every((p) => p.enabled)).toBe(true);

    const offs = await Promise.all(Array.from({ length: 20 }, () => turn(token, "groq", false)));
    expect(offs.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(offs[0]!.json).toMatchObject({ id: "groq", enabled: false });
    const after = (await callRoute(switches.GET, { token })).json.providers as {
      id: string;
      enabled: boolean;
    }[];
    expect(after.find((p) => p.id === "groq")!.enabled).toBe(false);
    await Promise.all(Array.from({ length: 20 }, () => turn(token, "groq", true)));
    const audited = await db.auditLog.findMany({
      where: { accountId: user.accountId },
      select: { action: true },
    });
    expect(audited.map((a) => a.action).sort()).toEqual(["own_provider.disable", "own_provider.enable"]);
  });

  it("refuses bad input with the error shape and changes nothing", async () => {
    const user = await userAccount(db, "pro");
    const token = await tokenFor(user.userId);
    expect((await turn(token, "no-such-provider", false)).status).toBe(404);
    expect((await turn(token, "groq", "false")).status).toBe(400);
    expect((await turn(token, "a\u0000b", false)).status).toBeLessThan(500);
    expect(await db.userDisabledProvider.count({ where: { userId: user.userId } })).toBe(0);
  });

  it("the router skips a provider the caller switched off, and refuses it by name, saying whose switch", async () => {
    const user = await userAccount(db, "pro");
    const token = await tokenFor(user.userId);
    await setProviderPreferences(db, { userId: user.userId, providers: ["together", "groq"] });
    expect((await openai(token).chat.completions.create({ model: LLAMA, messages })).model).toBe(
      `${LLAMA}:together`,
    );
    await turn(token, "together", false);
    const routed = await openai(token).chat.completions.create({ model: LLAMA, messages });
    expect(routed.model).toBe(`${LLAMA}:groq`);
    const refused = await routerRefusal(
      openai(token).chat.completions.create({ model: `${LLAMA}:together`, messages }),
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "provider_disabled", provider: "together", by: "caller" });
    expect(refused.body.message).toMatch(/You switched together off/);
  });

  it("requests billed to an org obey both the org's switches and the caller's", async () => {
    const org = await orgAccount(db, "team", 2, 2);
    const member = org.memberIds[1]!;
    const token = await tokenFor(member);
    const billed = openai(token, org.orgName);
    await setProviderEnabled(db, {
      accountId: org.accountId,
      actorUserId: org.memberIds[0]!,
      providerId: "groq",
      enabled: false,
    });
    await turn(token, "together", false);
    for (const provider of ["together", "groq"]) {
      const refused = await routerRefusal(
        billed.chat.completions.create({ model: `${LLAMA}:${provider}`, messages }),
      );
      expect(refused.body).toMatchObject({
        code: "provider_disabled",
        by: provider === "groq" ? "org" : "caller",
      });
    }
    const routed = await billed.chat.completions.create({ model: LLAMA, messages });
    expect(routed.model).not.toMatch(/:(together|groq)$/);
    // Another member of the org is not bound by this member's switch.
    const other = await tokenFor(org.memberIds[0]!);
    const theirs = await openai(other, org.orgName).chat.completions.create({
      model: `${LLAMA}:together`,
      messages,
    });
    expect(theirs.model).toBe(`${LLAMA}:together`);
  });

  it("ingestion refuses an event for a provider its user switched off, as the router would", async () => {
    const user = await userAccount(db, "pro");
    await turn(await tokenFor(user.userId), "together", false);
    const result = await ingestUsage(db, [
      {
        id: `own-switch-${user.userId}`,
        userId: user.userId,
        provider: "together",
        model: LLAMA,
        mode: "routed",
        inputTokens: 10,
        outputTokens: 10,
        computeMs: 0,
        occurredAt: new Date().toISOString(),
      },
    ]);
    expect(result.results).toMatchObject([{ status: "refused", code: "provider_disabled" }]);
  });
});
