import { describe, expect, it } from "vitest";
import { isGranularityAllowed, rangeSpanMs, toUsageApiQuery, withUsageParam } from "./usage-search-params";

const params = (query: string) => new URLSearchParams(query);

describe("usage page parameters", () => {
  it("passes filters through and defaults the range", () => {
    const api = params(toUsageApiQuery(params("model=m%2Fa&key=k1&tab=performance&granularity=hour")));
    expect(Object.fromEntries(api)).toEqual({ range: "7d", model: "m/a", key: "k1", granularity: "hour" });
  });

  it("turns custom dates into UTC midnights, the end day included", () => {
    const api = params(toUsageApiQuery(params("range=custom&from=2026-11-01&to=2026-11-07")));
    expect(api.get("from")).toBe("2026-11-01T00:00:00.000Z");
    expect(api.get("to")).toBe("2026-11-08T00:00:00.000Z");
    expect(params(toUsageApiQuery(params("range=custom&from=nonsense"))).has("from")).toBe(false);
  });

  it("knows each range's span and which granularities fit", () => {
    expect(rangeSpanMs(params(""))).toBe(7 * 86_400_000);
    expect(rangeSpanMs(params("range=custom&from=2026-11-01&to=2026-11-01"))).toBe(86_400_000);
    expect(rangeSpanMs(params("range=custom&from=2026-11-01"))).toBeNull();
    expect(isGranularityAllowed("hour", 2 * 86_400_000)).toBe(true);
    expect(isGranularityAllowed("hour", 7 * 86_400_000)).toBe(false);
  });

  it("changes one parameter, dropping custom dates and a granularity the new range cannot have", () => {
    expect(withUsageParam(params("range=24h&granularity=hour&model=m"), "range", "90d").toString()).toBe("range=90d&model=m");
    expect(withUsageParam(params("range=custom&from=2026-11-01&to=2026-11-02"), "range", "7d").toString()).toBe("range=7d");
    expect(withUsageParam(params("model=m&key=k"), "model", "").toString()).toBe("key=k");
  });
});
