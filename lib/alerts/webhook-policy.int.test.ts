import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ownWebhook from "@/app/api/settings/alert-webhook/route";
import * as orgWebhook from "@/app/api/organizations/[org]/alert-webhook/route";
import { readEnv } from "@/lib/config/env";
import { parseKeyRing } from "@/lib/keys/crypto";
import { settleUsage } from "@/lib/ledger/settle";
import { ensureTestCatalog, orgAccount, routedUsage, userAccount } from "@/lib/testing/billing-fixtures";
import { callRoute } from "@/lib/testing/call-route";
import { testDb } from "@/lib/testing/db";
import { userToken } from "@/lib/testing/router-client";
import { deliverDueAlerts } from "./deliver";
import { queueAlertDeliveries } from "./queue";
import { webhookPolicyFromEnv, type Resolve } from "./webhook-target";
import { setAlertWebhook } from "./webhooks";

// Alert webhooks as a server-side request forgery: what the API refuses when a URL is saved, and
// what a delivery refuses, reaches and records when it runs.
const db = testDb();
const ring = parseKeyRing(`test-1:${Buffer.alloc(32, 7).toString("base64")}`);
beforeAll(() => ensureTestCatalog(db), 60_000);
afterAll(() => db.$disconnect());

const FINDING_URLS = [
  "http://127.0.0.1:3199/hook",
  "https://169.254.169.254/latest/meta-data",
  "https://[::1]/x",
  "https://0x7f000001/",
];

describe("saving a webhook URL", () => {
  it.each([
    ...FINDING_URLS,
    "https://2130706433/",
    "https://0177.0.0.1/",
    "https://127.1/",
    "https://[::ffff:127.0.0.1]/",
    "https://10.0.0.1/",
    "https://100.64.0.1/",
    "https://localhost:3199/",
    "http://93.184.215.14/hook", // public, but plain http
  ])(
    "PUT /api/settings/alert-webhook refuses %s with 400 webhook_url_refused, saving nothing",
    async (url) => {
      const user = await userAccount(db, "pro");
      const res = await callRoute(ownWebhook.PUT, {
        method: "PUT",
        token: await userToken(db, user.userId),
        body: { url },
      });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: "webhook_url_refused", message: expect.any(String) });
      expect(await db.alertWebhook.count({ where: { accountId: user.accountId } })).toBe(0);
    },
  );

  it("refuses them on an organization's webhook too, and saves a public https one", async () => {
    const org = await orgAccount(db, "team", 1, 1);
    const token = await userToken(db, org.memberIds[0]!);
    for (const url of FINDING_URLS) {
      const res = await callRoute(orgWebhook.PUT, {
        method: "PUT",
        token,
        params: { org: org.orgName },
        body: { url },
      });
      expect(res.status, url).toBe(400);
      expect(res.json.error?.code).toBe("webhook_url_refused");
    }
    const saved = await callRoute(orgWebhook.PUT, {
      method: "PUT",
      token,
      params: { org: org.orgName },
      body: { url: "https://93.184.215.14/hooks/billing" },
    });
    expect(saved.status).toBe(200);
    expect(await db.alertWebhook.findUnique({ where: { accountId: org.accountId } })).toMatchObject({
      url: "https://93.184.215.14/hooks/billing",
    });
  });
});

/** A DNS answering each name from a table that the test can change between calls. */
function switchableDns(names: Record<string, string>) {
  const calls: string[] = [];
  const resolve: Resolve = async (hostname) => {
    calls.push(hostname);
    const address = names[hostname];
    if (!address) throw new Error(`ENOTFOUND ${hostname}`);
    return [{ address, family: 4 }];
  };
  return { names, calls, resolve };
}
const policyWith = (allow: string, resolve?: Resolve) =>
  webhookPolicyFromEnv(readEnv({ ...process.env, ALERT_WEBHOOK_ALLOW_HOSTS: allow }), resolve);

/** A TCP listener on 127.0.0.1 that counts connections and answers `reply` (or nothing, or hangs up). */
async function listener(
  reply: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | "hang" | "reset",
) {
  let connections = 0;
  const requests: string[] = [];
  const server =
    reply === "hang" || reply === "reset"
      ? net.createServer((socket) => {
          if (reply === "reset") socket.destroy();
        })
      : http.createServer((req, res) => {
          requests.push(req.url ?? "");
          reply(req, res);
        });
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    connections += 1;
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy(); // a hanging client would keep close() waiting
        server.close(() => resolve());
      }),
  };
}

/** A user whose webhook is `url` (saved under `policy`) with one webhook delivery queued. */
async function queuedWebhook(url: string, policy: ReturnType<typeof policyWith>) {
  const user = await userAccount(db, "pro");
  await setAlertWebhook(db, ring, { accountId: user.accountId, actorUserId: user.userId, url, policy });
  await settleUsage(db, [routedUsage(user.accountId, user.userId, new Date(Date.UTC(2026, 4, 9, 12)), 100)]);
  await queueAlertDeliveries(db);
  return async () =>
    (await db.alertDelivery.findMany({ where: { accountId: user.accountId, channel: "webhook" } }))[0]!;
}

describe("delivering a webhook", () => {
  it("refuses at delivery a URL that is no longer allowed, without connecting", async () => {
    const port = await listener((_req, res) => res.writeHead(204).end());
    try {
      // Saved while 127.0.0.1 was allow-listed (or before this check existed), delivered without.
      const delivery = await queuedWebhook(`http://127.0.0.1:${port.port}/hook`, policyWith("127.0.0.1"));
      await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policyWith("") });
      expect(await delivery()).toMatchObject({
        status: "pending",
        attempts: 1,
        lastError: "Refused by policy: the webhook's address is not allowed; not sent.",
      });
      expect(port.connections()).toBe(0);
    } finally {
      await port.close();
    }
  });

  it("checks the address again at each delivery: a name that rebinds to loopback is not called", async () => {
    const port = await listener((_req, res) => res.writeHead(204).end());
    try {
      const dns = switchableDns({ "rebind.test": "93.184.215.14" });
      const delivery = await queuedWebhook(
        `https://rebind.test:${port.port}/hook`,
        policyWith("", dns.resolve),
      );
      dns.names["rebind.test"] = "127.0.0.1"; // public when saved, loopback when delivered
      await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policyWith("", dns.resolve) });
      expect((await delivery()).lastError).toBe(
        "Refused by policy: the webhook's address is not allowed; not sent.",
      );
      expect(dns.calls).toEqual(["rebind.test", "rebind.test"]);
      expect(port.connections()).toBe(0);
    } finally {
      await port.close();
    }
  });

  it("connects to the address it checked, never resolving again", async () => {
    const port = await listener((_req, res) => res.writeHead(204).end());
    try {
      // A name only this resolver knows; after its first answer it answers nothing.
      const dns = switchableDns({ "pinned.test": "127.0.0.1" });
      const delivery = await queuedWebhook(
        `http://pinned.test:${port.port}/hook`,
        policyWith("pinned.test", dns.resolve),
      );
      const once: Resolve = async (host) => {
        const answer = await dns.resolve(host);
        delete dns.names[host];
        return answer;
      };
      await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policyWith("pinned.test", once) });
      expect(await delivery()).toMatchObject({ status: "sent", lastError: null });
      expect(port.requests).toEqual(["/hook"]);
      expect(dns.calls).toEqual(["pinned.test", "pinned.test"]); // the save's and the delivery's, no other
    } finally {
      await port.close();
    }
  });

  it("follows no redirect: a 302 is recorded as the answer", async () => {
    const target = await listener((_req, res) => res.writeHead(204).end());
    const redirecting = await listener((_req, res) =>
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end(),
    );
    try {
      const policy = policyWith("127.0.0.1");
      const delivery = await queuedWebhook(`http://127.0.0.1:${redirecting.port}/hook`, policy);
      await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policy });
      expect(await delivery()).toMatchObject({ status: "pending", lastError: "The endpoint answered 302." });
      expect(redirecting.requests).toEqual(["/hook"]);
      expect(target.connections()).toBe(0);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });

  it("gives up after the timeout on an endpoint that never answers", async () => {
    const hanging = await listener("hang");
    try {
      const policy = policyWith("127.0.0.1");
      const delivery = await queuedWebhook(`http://127.0.0.1:${hanging.port}/hook`, policy);
      const started = Date.now();
      await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policy, timeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await delivery()).toMatchObject({
        status: "pending",
        lastError: "The endpoint could not be reached.",
      });
      expect(hanging.connections()).toBe(1);
    } finally {
      await hanging.close();
    }
  });

  it("counts a resolver that never answers against the same timeout", async () => {
    const dns = switchableDns({ "slow.test": "93.184.215.14" });
    const delivery = await queuedWebhook("https://slow.test/hook", policyWith("", dns.resolve));
    const never: Resolve = () => new Promise(() => {});
    const started = Date.now();
    await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policyWith("", never), timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await delivery()).lastError).toBe("The endpoint could not be reached.");
  });

  it("records the same error for a closed port, a hang-up and a timeout: no port scanner", async () => {
    const closed = await listener("reset");
    const closedPort = closed.port;
    await closed.close(); // nothing listens there now
    const reset = await listener("reset");
    const hanging = await listener("hang");
    try {
      const policy = policyWith("127.0.0.1");
      const deliveries = [
        await queuedWebhook(`http://127.0.0.1:${closedPort}/hook`, policy),
        await queuedWebhook(`http://127.0.0.1:${reset.port}/hook`, policy),
        await queuedWebhook(`http://127.0.0.1:${hanging.port}/hook`, policy),
      ];
      await deliverDueAlerts(db, { mailer: null, ring, webhookPolicy: policy, timeoutMs: 300 });
      const errors = await Promise.all(deliveries.map(async (d) => (await d()).lastError));
      expect(errors).toEqual(Array(3).fill("The endpoint could not be reached."));
    } finally {
      await Promise.all([reset.close(), hanging.close()]);
    }
  });
});
