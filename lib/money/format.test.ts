import { describe, expect, it } from "vitest";
import { formatCents, formatNano } from "./format";

describe("formatCents", () => {
  it("prints two decimals, never '$12.5'", () => {
    expect(formatCents(1250)).toBe("$12.50");
    expect(formatCents(0)).toBe("$0.00");
    expect(formatCents(123456789)).toBe("$1,234,567.89");
    expect(formatCents(-5)).toBe("-$0.05");
  });

  it("is exact beyond float precision", () => {
    expect(formatCents(9_007_199_254_740_993n)).toBe("$90,071,992,547,409.93");
  });

  it("follows the locale", () => {
    expect(formatCents(123456, "de-DE")).toBe("1.234,56\u00a0$");
  });
});

describe("formatNano", () => {
  it("shows sub-cent usage to a hundredth of a cent", () => {
    expect(formatNano(1_200_000n)).toBe("$0.0012");
    expect(formatNano(100_000_000n)).toBe("$0.10");
    expect(formatNano(2_000_000_000n)).toBe("$2.00");
  });

  it("rounds half up at 1e-4 USD", () => {
    expect(formatNano(50_000n)).toBe("$0.0001");
    expect(formatNano(49_999n)).toBe("$0.00");
  });

  it("keeps all four decimals when asked, so table columns line up", () => {
    expect(formatNano(1_289_000_000n, "en-US", true)).toBe("$1.2890");
    expect(formatNano(2_000_000_000n, "en-US", true)).toBe("$2.0000");
    expect(formatNano(1_289_000_000n, "de-DE", true)).toBe("1,2890\u00a0$");
  });
});
