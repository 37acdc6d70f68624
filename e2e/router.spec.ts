import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { adminCli } from "./fixtures";
import { E2E_DATA_DIR, E2E_PORT } from "../playwright.config";

// The router on the real app: a real client's requests are billed, and show up in the usage
// breakdown the settings pages draw from, to the nano-dollar.
const base = `http://localhost:${E2E_PORT}`;

test("requests through /v1/chat/completions appear in the usage breakdown, exactly", async () => {
  const email = `router-${randomUUID().slice(0, 8)}@example.com`;
  await adminCli(
    E2E_DATA_DIR,
    "create-user",
    "--email",
    email,
    "--password",
    "router e2e password",
    "--plan",
    "pro",
  );
  const { token } = (await adminCli(E2E_DATA_DIR, "create-token", "--email", email, "--name", "e2e")) as {
    token: string;
  };
  const client = new OpenAI({ apiKey: token, baseURL: `${base}/v1`, maxRetries: 0 });

  const models = await client.models.list();
  expect(models.data.map((m) => m.id)).toContain("meta-llama/Llama-3.3-70B-Instruct");

  const answers = [
    await client.chat.completions.create({
      model: "meta-llama/Llama-3.3-70B-Instruct",
      messages: [{ role: "user", content: "Hello from the end-to-end test." }],
      max_tokens: 40,
    }),
    await client.chat.completions.create({
      model: "Qwen/Qwen2.5-7B-Instruct",
      messages: [{ role: "user", content: "A second model." }],
    }),
  ];
  let streamedCost: string | undefined;
  for await (const chunk of await client.chat.completions.create({
    model: "meta-llama/Llama-3.3-70B-Instruct:together",
    messages: [{ role: "user", content: "And a streamed one." }],
    stream: true,
  })) {
    const usage = chunk.usage as { cost?: { list_price_usd: string } } | undefined;
    if (usage?.cost) streamedCost = usage.cost.list_price_usd;
  }
  const costs = [
    ...answers.map((a) => (a.usage as unknown as { cost: { list_price_usd: string } }).cost.list_price_usd),
    streamedCost!,
  ];
  const nano = (usd: string) => {
    const [whole, frac = ""] = usd.split(".");
    return BigInt(whole!) * 1_000_000_000n + BigInt(frac.padEnd(9, "0"));
  };
  const expected = costs.reduce((sum, c) => sum + nano(c), 0n);

  // The billing clock's day (the answers carry it), through the next day.
  const day = new Date(answers[0]!.created * 1000).toISOString().slice(0, 10);
  const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
  const res = await fetch(`${base}/api/billing/usage?from=${day}&to=${next}&groupBy=model`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const usage = (await res.json()) as {
    total: { routed: { requests: number; costNano: string } };
    rows: { key: string }[];
  };
  expect(usage.total.routed.requests).toBe(3);
  expect(BigInt(usage.total.routed.costNano)).toBe(expected);
  expect(usage.rows.map((r) => r.key).sort()).toEqual([
    "Qwen/Qwen2.5-7B-Instruct",
    "meta-llama/Llama-3.3-70B-Instruct",
  ]);

  // By token: the one token made them all, at the same total.
  const byToken = (await (
    await fetch(`${base}/api/billing/usage?from=${day}&to=${next}&groupBy=token`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as { total: { routed: { costNano: string } }; rows: unknown[] };
  expect(byToken.rows).toHaveLength(1);
  expect(BigInt(byToken.total.routed.costNano)).toBe(expected);

  // Each answer looked up by its id costs what the answer said.
  for (const answer of answers) {
    const found = await fetch(`${base}/v1/generation?id=${answer.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(found.status).toBe(200);
    const { data } = (await found.json()) as { data: { cost: unknown; model: string } };
    expect(data.cost).toEqual((answer.usage as unknown as { cost: unknown }).cost);
  }
});

test("the router refuses a request without an access token, in the documented error shape", async () => {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "meta-llama/Llama-3.3-70B-Instruct",
      messages: [{ role: "user", content: "hi" }],
    }),
  });
  expect(res.status).toBe(401);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
});
