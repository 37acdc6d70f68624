import { describe, expect, it } from "vitest";
import { createLocalProcessor } from "./local-processor";

const processor = createLocalProcessor();
const save = (number: string, expYear = 2099) =>
  processor.saveCard({
    customerRef: "local_cus_1",
    card: { kind: "number", number, expMonth: 12, expYear, cvc: "123" },
  });

describe("the local test processor", () => {
  it("saves the success cards and charges them, the same key giving the same charge", async () => {
    const saved = await save("4242 4242 4242 4242");
    expect(saved).toMatchObject({ ok: true, card: { brand: "visa", last4: "4242" } });
    if (!saved.ok) return;
    const a = await processor.charge({
      customerRef: "c",
      cardRef: saved.card.processorRef,
      amountCents: 100,
      idempotencyKey: "k",
      description: "x",
    });
    const b = await processor.charge({
      customerRef: "c",
      cardRef: saved.card.processorRef,
      amountCents: 100,
      idempotencyKey: "k",
      description: "x",
    });
    expect(a).toEqual(b);
    expect(a.ok).toBe(true);
  });

  it.each([
    ["4000000000000002", "card_declined"],
    ["4000000000003220", "authentication_required"],
    ["1234567812345678", "incorrect_number"],
    ["4000003560000008", "card_country_unsupported"],
  ])("refuses %s when it is added: %s", async (number, code) => {
    expect(await save(number)).toMatchObject({ ok: false, code });
  });

  it("refuses an expired card", async () => {
    expect(await save("4242424242424242", 2020)).toMatchObject({ ok: false, code: "expired_card" });
  });

  it("has a card that saves but whose charges are declined, and one that asks for a retry", async () => {
    const declining = await save("4000000000000341");
    const flaky = await save("4000000000000119");
    if (!declining.ok || !flaky.ok) throw new Error("both cards save");
    const charge = (cardRef: string) =>
      processor.charge({
        customerRef: "c",
        cardRef,
        amountCents: 100,
        idempotencyKey: "k",
        description: "x",
      });
    expect(await charge(declining.card.processorRef)).toMatchObject({
      ok: false,
      code: "card_declined",
      retryable: false,
    });
    expect(await charge(flaky.card.processorRef)).toMatchObject({
      ok: false,
      code: "processing_error",
      retryable: true,
    });
  });
});
