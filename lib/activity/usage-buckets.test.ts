import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/validation-error";
import {
  bucketStart,
  defaultGranularity,
  enumerateBuckets,
  isValidTimeZone,
  nextBucketStart,
  resolveChartRange,
  startOfLocalDay,
  zonedTimeToInstant,
} from "./usage-buckets";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("time zones", () => {
  it("accepts IANA zones and refuses anything else", () => {
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });

  it("finds the instant of a local wall-clock time, across DST and odd offsets", () => {
    expect(iso(zonedTimeToInstant(2026, 1, 15, 0, "America/New_York"))).toBe("2026-01-15T05:00:00.000Z");
    expect(iso(zonedTimeToInstant(2026, 7, 15, 0, "America/New_York"))).toBe("2026-07-15T04:00:00.000Z");
    expect(iso(zonedTimeToInstant(2026, 3, 1, 0, "Asia/Kolkata"))).toBe("2026-02-28T18:30:00.000Z");
    // Day 32 rolls over like Date.UTC.
    expect(iso(zonedTimeToInstant(2026, 1, 32, 0, "UTC"))).toBe("2026-02-01T00:00:00.000Z");
    // 02:30 does not exist in New York on 8 March 2026; the instant after the jump is used.
    expect(iso(zonedTimeToInstant(2026, 3, 8, 2, "America/New_York"))).toBe("2026-03-08T07:00:00.000Z");
    // Santiago skips midnight (00:00 → 01:00) on 6 September 2026: the day starts at 01:00.
    expect(iso(zonedTimeToInstant(2026, 9, 6, 0, "America/Santiago"))).toBe("2026-09-06T04:00:00.000Z");
  });
});

describe("buckets", () => {
  it("puts an hour in the local day it starts in, not the UTC day", () => {
    // 23:00 UTC on 20 November is already 21 November in Tokyo and still 20 November in Los Angeles.
    const hour = at("2026-11-20T23:00:00Z");
    expect(iso(bucketStart(hour, "day", "Asia/Tokyo"))).toBe("2026-11-20T15:00:00.000Z");
    expect(iso(bucketStart(hour, "day", "America/Los_Angeles"))).toBe("2026-11-20T08:00:00.000Z");
    expect(iso(bucketStart(hour, "day", "UTC"))).toBe("2026-11-20T00:00:00.000Z");
  });

  it("hour buckets are UTC hours whatever the zone", () => {
    expect(iso(bucketStart(at("2026-11-20T10:42:10Z"), "hour", "Asia/Kolkata"))).toBe("2026-11-20T10:00:00.000Z");
  });

  it("month buckets start on the local first of the month", () => {
    expect(iso(bucketStart(at("2026-03-01T02:00:00Z"), "month", "America/New_York"))).toBe("2026-02-01T05:00:00.000Z");
    expect(iso(bucketStart(at("2026-03-01T06:00:00Z"), "month", "America/New_York"))).toBe("2026-03-01T05:00:00.000Z");
    expect(iso(nextBucketStart(at("2026-12-01T00:00:00Z"), "month", "UTC"))).toBe("2027-01-01T00:00:00.000Z");
  });

  it("day buckets are 23 or 25 hours long across DST changes", () => {
    const spring = at("2026-03-08T05:00:00Z"); // midnight EST
    expect((nextBucketStart(spring, "day", "America/New_York") - spring) / 3_600_000).toBe(23);
    const autumn = at("2026-11-01T04:00:00Z"); // midnight EDT
    expect((nextBucketStart(autumn, "day", "America/New_York") - autumn) / 3_600_000).toBe(25);
  });

  it("enumerates every bucket from the one holding `from` to `to`, so gaps are visible", () => {
    const days = enumerateBuckets(at("2026-11-18T15:30:00Z"), at("2026-11-21T01:00:00Z"), "day", "UTC").map(iso);
    expect(days).toEqual(["2026-11-18T00:00:00.000Z", "2026-11-19T00:00:00.000Z", "2026-11-20T00:00:00.000Z", "2026-11-21T00:00:00.000Z"]);
    expect(enumerateBuckets(at("2026-11-18T10:00:00Z"), at("2026-11-18T13:00:00Z"), "hour", "UTC")).toHaveLength(3);
    expect(enumerateBuckets(at("2026-01-15T00:00:00Z"), at("2026-04-02T00:00:00Z"), "month", "Europe/Paris").map(iso)).toEqual([
      "2025-12-31T23:00:00.000Z",
      "2026-01-31T23:00:00.000Z",
      "2026-02-28T23:00:00.000Z",
      "2026-03-31T22:00:00.000Z",
    ]);
    expect(enumerateBuckets(at("2026-11-18T00:00:00Z"), at("2026-11-18T00:00:00Z"), "day", "UTC")).toEqual([]);
    expect(enumerateBuckets(at("2026-11-18T10:00:00Z"), at("2026-11-18T10:00:00Z"), "day", "UTC")).toHaveLength(1);
  });

  it("finds the start of a local day some days back", () => {
    const now = at("2026-11-21T02:00:00Z"); // 20 November, 18:00 in Los Angeles
    expect(iso(startOfLocalDay(now, 0, "America/Los_Angeles"))).toBe("2026-11-20T08:00:00.000Z");
    expect(iso(startOfLocalDay(now, 29, "America/Los_Angeles"))).toBe("2026-10-22T07:00:00.000Z");
    expect(iso(startOfLocalDay(now, 0, "UTC"))).toBe("2026-11-21T00:00:00.000Z");
  });
});

describe("chart ranges", () => {
  const day = 86_400_000;

  it("picks a granularity with a readable number of bars", () => {
    expect(defaultGranularity(day)).toBe("hour");
    expect(defaultGranularity(7 * day)).toBe("day");
    expect(defaultGranularity(90 * day)).toBe("day");
    expect(defaultGranularity(365 * day)).toBe("month");
  });

  it("moves the start back to a whole bucket", () => {
    const range = resolveChartRange({ from: at("2026-11-13T14:23:00Z"), to: at("2026-11-20T14:23:00Z"), granularity: null, timeZone: "Europe/Paris" });
    expect(range.granularity).toBe("day");
    expect(iso(range.from)).toBe("2026-11-12T23:00:00.000Z");
    expect(iso(range.to)).toBe("2026-11-20T14:23:00.000Z");
  });

  it("refuses hourly charts over more than 2 days with a field message", () => {
    const attempt = () => resolveChartRange({ from: at("2026-10-01T00:00:00Z"), to: at("2026-10-03T01:00:00Z"), granularity: "hour", timeZone: "UTC" });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/at most 2 days/);
    expect(resolveChartRange({ from: at("2026-10-01T00:00:00Z"), to: at("2026-10-03T00:00:00Z"), granularity: "hour", timeZone: "UTC" }).granularity).toBe(
      "hour",
    );
    expect(() => resolveChartRange({ from: at("2020-01-01T00:00:00Z"), to: at("2026-01-01T00:00:00Z"), granularity: "day", timeZone: "UTC" })).toThrow(
      /two years/,
    );
  });
});
