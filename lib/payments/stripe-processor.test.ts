import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeProcessor } from "./stripe-processor";

/**
 * A stand-in for Stripe's API on 127.0.0.1: it records what the official SDK sends and answers
 * like Stripe does, so the wire calls (paths, parameters, idempotency keys, card errors) are
 * tested without the network.
 */
const calls: { method: string; path: string; body: URLSearchParams; idempotencyKey?: string }[] = [];
const server = http.createServer((req, res) => {
  let raw = "";
  req.on("data", (c: Buffer) => (raw += c));
  req.on("end", () => {
    const body = new URLSearchParams(raw);
    calls.push({
      method: req.method!,
      path: req.url!,
      body,
      idempotencyKey: req.headers["idempotency-key"] as string | undefined,
    });
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "request-id": "req_test" });
      res.end(JSON.stringify(json));
    };
    if (req.url === "/v1/customers") return send(200, { id: "cus_123", object: "customer" });
    if (req.url?.startsWith("/v1/payment_methods/pm_declined/attach")) {
      return send(402, {
        error: { type: "card_error", code: "card_declined", message: "Your card was declined." },
      });
    }
    if (req.url === "/v1/payment_methods/pm_india/attach") {
      return send(200, {
        id: "pm_india",
        object: "payment_method",
        card: {
          brand: "visa",
          last4: "0008",
          exp_month: 4,
          exp_year: 2031,
          fingerprint: "fp_0008",
          country: "IN",
        },
      });
    }
    if (req.url === "/v1/payment_methods/pm_india/detach")
      return send(200, { id: "pm_india", object: "payment_method", customer: null });
    if (req.url?.match(/^\/v1\/payment_methods\/(pm_\w+)\/attach$/)) {
      return send(200, {
        id: "pm_ok",
        object: "payment_method",
        card: { brand: "visa", last4: "4242", exp_month: 4, exp_year: 2031, fingerprint: "fp_4242" },
      });
    }
    if (req.url === "/v1/payment_intents") {
      if (body.get("amount") === "666") {
        return send(402, {
          error: { type: "card_error", code: "insufficient_funds", message: "Insufficient funds." },
        });
      }
      return send(200, {
        id: "pi_1",
        object: "payment_intent",
        status: body.get("capture_method") === "manual" ? "requires_capture" : "succeeded",
      });
    }
    if (req.url === "/v1/payment_intents/pi_1/cancel")
      return send(200, { id: "pi_1", object: "payment_intent", status: "canceled" });
    send(404, { error: { type: "invalid_request_error", message: `No route ${req.url}` } });
  });
});

let processor: ReturnType<typeof createStripeProcessor>;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  processor = createStripeProcessor("sk_test_fake", {
    host: "127.0.0.1",
    port,
    protocol: "http",
    maxNetworkRetries: 0,
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the Stripe processor", () => {
  it("creates a customer once per account (idempotent)", async () => {
    expect(await processor.createCustomer({ accountId: "acc_1", email: "a@example.com" })).toBe("cus_123");
    expect(calls.at(-1)).toMatchObject({
      method: "POST",
      path: "/v1/customers",
      idempotencyKey: "customer:acc_1",
    });
    expect(calls.at(-1)!.body.get("metadata[accountId]")).toBe("acc_1");
  });

  it("attaches a card collected by Stripe.js, and reports a declined one in words", async () => {
    const ok = await processor.saveCard({
      customerRef: "cus_123",
      card: { kind: "stripe_payment_method", paymentMethodId: "pm_card" },
    });
    expect(ok).toEqual({
      ok: true,
      card: {
        processorRef: "pm_ok",
        fingerprint: "fp_4242",
        brand: "visa",
        last4: "4242",
        expMonth: 4,
        expYear: 2031,
      },
    });
    const declined = await processor.saveCard({
      customerRef: "cus_123",
      card: { kind: "stripe_payment_method", paymentMethodId: "pm_declined" },
    });
    expect(declined).toMatchObject({ ok: false, code: "card_declined", retryable: false });
    if (!declined.ok) expect(declined.message).toMatch(/3-D Secure|recurring/);
    // Raw card numbers never go to Stripe from our server.
    const raw = await processor.saveCard({
      customerRef: "cus_123",
      card: { kind: "number", number: "4242424242424242", expMonth: 1, expYear: 2030, cvc: "1" },
    });
    expect(raw.ok).toBe(false);
  });

  it("refuses a card issued in India in words, and detaches it from the customer again", async () => {
    const before = calls.length;
    const refused = await processor.saveCard({
      customerRef: "cus_123",
      card: { kind: "stripe_payment_method", paymentMethodId: "pm_india" },
    });
    expect(refused).toMatchObject({ ok: false, code: "card_country_unsupported", retryable: false });
    if (!refused.ok) expect(refused.message).toContain("India");
    expect(calls.slice(before).map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /v1/payment_methods/pm_india/attach",
      "POST /v1/payment_methods/pm_india/detach",
    ]);
  });

  it("holds $10 with a manual-capture intent and releases it by cancelling", async () => {
    const hold = await processor.authorize({
      customerRef: "cus_123",
      cardRef: "pm_ok",
      amountCents: 1_000,
      idempotencyKey: "check:1:hold",
    });
    expect(hold).toEqual({ ok: true, ref: "pi_1" });
    const sent = calls.at(-1)!;
    expect(sent.idempotencyKey).toBe("check:1:hold");
    expect(Object.fromEntries(sent.body)).toMatchObject({
      amount: "1000",
      currency: "usd",
      capture_method: "manual",
      confirm: "true",
      off_session: "true",
    });
    expect(await processor.release({ ref: "pi_1", idempotencyKey: "check:1:release" })).toEqual({
      ok: true,
      ref: "pi_1",
    });
    expect(calls.at(-1)).toMatchObject({
      path: "/v1/payment_intents/pi_1/cancel",
      idempotencyKey: "check:1:release",
    });
  });

  it("charges off-session with the caller's idempotency key, and maps card errors", async () => {
    const paid = await processor.charge({
      customerRef: "cus_123",
      cardRef: "pm_ok",
      amountCents: 5_400,
      idempotencyKey: "invoice:abc:auto",
      description: "Invoice INV-1",
    });
    expect(paid).toEqual({ ok: true, ref: "pi_1" });
    expect(calls.at(-1)!.idempotencyKey).toBe("invoice:abc:auto");
    expect(calls.at(-1)!.body.get("capture_method")).toBeNull();
    const refused = await processor.charge({
      customerRef: "cus_123",
      cardRef: "pm_ok",
      amountCents: 666,
      idempotencyKey: "k2",
      description: "x",
    });
    expect(refused).toMatchObject({ ok: false, code: "insufficient_funds" });
  });
});
