import { describe, expect, it } from "vitest";
import { cardCountryRefusal } from "./card-country";

describe("the card country rule", () => {
  it("refuses cards issued in India, saying why and what to use instead", () => {
    for (const country of ["IN", "in"]) {
      const refusal = cardCountryRefusal(country);
      expect(refusal).toMatchObject({ ok: false, code: "card_country_unsupported", retryable: false });
      expect(refusal!.message).toContain("cards issued in India");
      expect(refusal!.message).toContain("another country");
    }
  });

  it("accepts cards issued elsewhere, and cards whose country the processor did not report", () => {
    for (const country of ["US", "FR", "ID", null, undefined, ""])
      expect(cardCountryRefusal(country)).toBeNull();
  });
});
