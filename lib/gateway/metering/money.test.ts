import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatNanoUsd, parseUsdToNano } from "./money";

describe("USD ⇄ nano-USD", () => {
  it("parses decimal strings and numbers exactly", () => {
    expect(parseUsdToNano("12.5")).toBe(12_500_000_000n);
    expect(parseUsdToNano("0.000000001")).toBe(1n);
    expect(parseUsdToNano(0.1)).toBe(100_000_000n);
    expect(parseUsdToNano(" 7 ")).toBe(7_000_000_000n);
  });

  it("refuses negatives, too many decimals, exponents and junk", () => {
    for (const bad of ["-1", "1.0000000001", "1e3", "abc", "", "1,5", "NaN"]) expect(parseUsdToNano(bad)).toBeNull();
    expect(parseUsdToNano(-2)).toBeNull();
    expect(parseUsdToNano(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it("formats with cents and keeps sub-cent digits", () => {
    expect(formatNanoUsd(12_500_000_000n)).toBe("12.50");
    expect(formatNanoUsd(42_000n)).toBe("0.000042");
    expect(formatNanoUsd(0n)).toBe("0.00");
    expect(formatNanoUsd(-1_000_000_000n)).toBe("-1.00");
  });

  it("round-trips every amount", () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), (nano) => parseUsdToNano(formatNanoUsd(nano)) === nano));
  });
});
