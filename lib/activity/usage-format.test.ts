import { describe, expect, it } from "vitest";
import {
  formatBucketLabel,
  formatCompact,
  formatExactUsd,
  formatInteger,
  formatMs,
  formatPercent,
  formatThroughput,
  formatTokens,
  formatUsd,
  formatUsdDecimal,
  formatValue,
} from "./usage-format";

describe("formatUsd", () => {
  it("shows dollars with cents, grouped", () => {
    expect(formatUsd(12_345_000_000n)).toBe("$12.35");
    expect(formatUsd(12_344_999_999n)).toBe("$12.34");
    expect(formatUsd(1_234_500_000_000n)).toBe("$1,234.50");
    expect(formatUsd(1_000_000_000n)).toBe("$1.00");
    expect(formatUsd(999_999_999_999_999_999n)).toBe("$1,000,000,000.00");
  });

  it("shows cents from a cent up, and four significant digits below a cent, so small costs never read as $0.00", () => {
    expect(formatUsd(420_000_000n)).toBe("$0.42");
    expect(formatUsd(400_000_000n)).toBe("$0.40");
    expect(formatUsd(12_300_000n)).toBe("$0.01");
    expect(formatUsd(10_000_000n)).toBe("$0.01");
    expect(formatUsd(4_200_000n)).toBe("$0.0042");
    expect(formatUsd(4_217_301n)).toBe("$0.004217");
    expect(formatUsd(4_217_501n)).toBe("$0.004218");
    expect(formatUsd(9_999_999n)).toBe("$0.01");
    expect(formatUsd(18_000n)).toBe("$0.000018");
    expect(formatUsd(1n)).toBe("$0.000000001");
    expect(formatUsd(999_999_999n)).toBe("$1.00");
    expect(formatUsd(0n)).toBe("$0.00");
    expect(formatUsd(-4_200_000n)).toBe("-$0.0042");
    expect(formatUsd(-12_345_000_000n)).toBe("-$12.35");
  });

  it("gives the exact amount for hover titles", () => {
    expect(formatExactUsd(4_217_301n)).toBe("$0.004217301");
    expect(formatExactUsd(1_234_500_000_000n)).toBe("$1,234.50");
    expect(formatExactUsd(-2_500_000_000n)).toBe("-$2.50");
    expect(formatExactUsd(0n)).toBe("$0.00");
  });

  it("reads the API's exact decimal strings", () => {
    expect(formatUsdDecimal("0.004200001")).toBe("$0.0042");
    expect(formatUsdDecimal("1234.5")).toBe("$1,234.50");
    expect(formatUsdDecimal("0.00")).toBe("$0.00");
  });

  it("takes nano-USD numbers too (chart values), and compacts for axes", () => {
    expect(formatUsd(4_200_000.4)).toBe("$0.0042");
    expect(formatUsd(2_500_000_000_000, { compact: true })).toBe("$2.5K");
    expect(formatUsd(12_345_000_000, { compact: true })).toBe("$12.35");
  });
});

describe("counts", () => {
  it("compacts tokens to K, M, B without reading 1000K", () => {
    expect(formatTokens(0)).toBe("0");
    expect(formatTokens(950)).toBe("950");
    expect(formatTokens(1_234)).toBe("1.2K");
    expect(formatTokens(3_400)).toBe("3.4K");
    expect(formatTokens(950_000)).toBe("950K");
    expect(formatTokens(999_999)).toBe("1M");
    expect(formatTokens(1_200_000)).toBe("1.2M");
    expect(formatTokens(7_000_000_000)).toBe("7B");
    expect(formatCompact(-1_500)).toBe("-1.5K");
    expect(formatCompact(0.25)).toBe("0.3");
  });

  it("groups whole numbers", () => {
    expect(formatInteger(1234567)).toBe("1,234,567");
    expect(formatInteger(12)).toBe("12");
  });

  it("formats shares, durations and throughput", () => {
    expect(formatPercent(0.025)).toBe("2.5%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.0004)).toBe("<0.1%");
    expect(formatMs(850.4)).toBe("850 ms");
    expect(formatMs(1_234)).toBe("1.23 s");
    expect(formatMs(12_345)).toBe("12.3 s");
    expect(formatThroughput(45.34)).toBe("45.3 tok/s");
    expect(formatThroughput(152.6)).toBe("153 tok/s");
  });
});

describe("bucket labels", () => {
  it("labels buckets in the viewer's zone", () => {
    const t = Date.parse("2026-11-20T23:00:00Z");
    expect(formatBucketLabel(t, "day", "Asia/Tokyo", "en-US")).toBe("Nov 21");
    expect(formatBucketLabel(t, "day", "UTC", "en-US")).toBe("Nov 20");
    expect(formatBucketLabel(t, "hour", "UTC", "en-US")).toBe("Nov 20, 23:00");
    expect(formatBucketLabel(t, "month", "Asia/Tokyo", "en-US")).toBe("Nov 2026");
  });
});

describe("formatValue", () => {
  it("formats by kind, shorter on axes", () => {
    expect(formatValue("requests", 12_345)).toBe("12,345");
    expect(formatValue("requests", 12_345, { axis: true })).toBe("12.3K");
    expect(formatValue("usd", 2_500_000_000_000, { axis: true })).toBe("$2.5K");
    expect(formatValue("usd", 2_500_000_000_000)).toBe("$2,500.00");
    expect(formatValue("throughput", 45.34)).toBe("45.3 tok/s");
    expect(formatValue("ms", 95)).toBe("95 ms");
  });
});
