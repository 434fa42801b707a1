import { describe, expect, it } from "vitest";
import type { UsageRow } from "../activity/usage-rows";
import { StatBuckets } from "../gateway/health/stat-buckets";
import type { CatalogSnapshot, EndpointView, ModelView, ProviderView } from "../gateway/catalog-view/catalog-types";
import { dailyTokens, hourlyRequests, providerEndpoints, providerModelRows, providerSummaries, providerWindows } from "./provider-detail";

const HOUR = 3_600_000;
const NOW = Date.parse("2026-11-22T12:30:00Z");

const provider = (slug: string, extra: Partial<ProviderView> = {}): ProviderView => ({
  id: `p_${slug}`,
  slug,
  name: `Provider ${slug}`,
  adapter: "openai",
  baseUrl: "http://x",
  apiKeyEnv: null,
  enabled: true,
  ...extra,
});
const endpoint = (p: ProviderView, model: string, extra: Partial<EndpointView> = {}): EndpointView => ({
  id: `e_${p.slug}_${model}`,
  slug: `${p.slug}/${model}`,
  name: model,
  provider: p,
  upstreamModel: `up-${model}`,
  contextLength: 128_000,
  maxOutput: null,
  supportedParameters: [],
  enabled: true,
  pricings: { prompt: [{ value: 1, unit: "perMTokens", currency: "USD" }], completion: [{ value: 2, unit: "perMTokens", currency: "USD" }] },
  ...extra,
});
const model = (slug: string, displayName: string, endpoints: EndpointView[], extra: Partial<ModelView> = {}): ModelView => ({
  id: slug,
  slug,
  vendor: slug.split("/")[0],
  displayName,
  description: "",
  inputModalities: ["text"],
  outputModalities: ["text"],
  capabilities: { tools: false, vision: false, reasoning: false, json: false },
  contextLength: 128_000,
  maxOutput: null,
  releasedAt: null,
  addedAt: new Date(0),
  enabled: true,
  aliases: [],
  endpoints,
  ...extra,
});

const fast = provider("fast");
const native = provider("native", { adapter: "anthropic", name: "Native" });
const off = provider("off", { enabled: false, name: "Off" });
const unused = provider("unused", { name: "Unused" });
const chat = model("test/chat", "Test: Chat", [endpoint(fast, "chat"), endpoint(native, "chat")]);
const tiered = model("test/big", "Test: Big", [
  endpoint(fast, "big", {
    pricings: {
      prompt: [
        { value: 3, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lte: 200 } } },
        { value: 6, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gt: 200 } } },
      ],
    },
  }),
  endpoint(off, "big"),
]);
const hidden = model("test/hidden", "Test: Hidden", [endpoint(fast, "hidden")], { enabled: false });
const snapshot: CatalogSnapshot = { loadedAt: new Date(NOW), models: [chat, tiered, hidden], providers: [fast, native, off, unused] };
const listed = [chat, tiered];

function bucketsWithTraffic() {
  let clock = NOW;
  const buckets = new StatBuckets(25 * HOUR, () => clock);
  const at = (hoursAgo: number, record: () => void) => {
    clock = NOW - hoursAgo * HOUR;
    record();
    clock = NOW;
  };
  // fast: 9 quick calls on test/chat and one failure on test/big now, one slow call on the unlisted model 3 hours ago.
  for (let i = 0; i < 9; i++) buckets.record("e_fast_chat", { ok: true, ttftMs: 100, tokensPerSecond: 50 });
  buckets.record("e_fast_big", { ok: false });
  at(3, () => buckets.record("e_fast_hidden", { ok: true, ttftMs: 2000 }));
  buckets.record("e_native_chat", { ok: true, ttftMs: 400 });
  return buckets;
}

describe("provider detail", () => {
  it("says nothing was measured before any traffic", () => {
    const empty = new StatBuckets(25 * HOUR, () => NOW);
    const summaries = providerSummaries(snapshot, listed, empty);
    expect(summaries.map((s) => s.slug)).toEqual(["native", "fast", "unused", "off"]);
    for (const s of summaries) expect(s.day).toMatchObject({ requests: 0, successRate: null, ttftP50Ms: null });
    expect(providerWindows(empty, ["e_fast_chat"]).fiveMinutes).toMatchObject({ requests: 0, successRate: null, ttftP50Ms: null, throughputP50: null });
    expect(hourlyRequests(empty.seriesOf(["e_fast_chat"], NOW - 24 * HOUR, HOUR), NOW).series).toEqual([]);
  });

  it("sums a provider's endpoints, unlisted models included, with percentiles from the merged histograms", () => {
    const buckets = bucketsWithTraffic();
    const summaries = providerSummaries(snapshot, listed, buckets);
    const byslug = Object.fromEntries(summaries.map((s) => [s.slug, s]));
    expect(byslug.fast).toMatchObject({ name: "Provider fast", protocol: "OpenAI Chat Completions", enabled: true, models: 2 });
    expect(byslug.fast.hour).toMatchObject({ requests: 10, failures: 1, successRate: 0.9 });
    expect(byslug.fast.day).toMatchObject({ requests: 11, failures: 1 });
    // Ten TTFTs, nine of 100 ms and one of 2 s: the median stays ~100 ms.
    expect(byslug.fast.day.ttftP50Ms).toBeLessThan(103);
    expect(byslug.native).toMatchObject({ protocol: "Anthropic Messages", models: 1 });
    expect(byslug.native.day.ttftP50Ms).toBeGreaterThan(390);
    expect(byslug.off).toMatchObject({ enabled: false, models: 1 });
    expect(byslug.unused).toMatchObject({ models: 0, day: { requests: 0, successRate: null } });

    const ids = providerEndpoints(snapshot, "fast").map((e) => e.id);
    expect(ids).toEqual(["e_fast_chat", "e_fast_big", "e_fast_hidden"]);
    const windows = providerWindows(buckets, ids);
    expect(windows.fiveMinutes).toMatchObject({ requests: 10, successRate: 0.9 });
    expect(windows.day.requests).toBe(11);
  });

  it("lists a provider's listed models with links, upstream ids, tiers spelled out and that endpoint's numbers", () => {
    const rows = providerModelRows(fast, listed, bucketsWithTraffic());
    expect(rows.map((r) => [r.modelName, r.modelHref, r.upstreamModel])).toEqual([
      ["Test: Big", "/models/test/big", "up-big"],
      ["Test: Chat", "/models/test/chat", "up-chat"],
    ]);
    expect(rows[0].prices).toEqual([
      { feeItem: "prompt", label: "Input", text: "$3.00/M tokens (up to 200K prompt tokens); $6.00/M tokens (above 200K prompt tokens)" },
    ]);
    expect(rows[0].windows.day).toMatchObject({ requests: 1, successRate: 0, ttftP50Ms: null });
    expect(rows[1].windows.fiveMinutes).toMatchObject({ requests: 9, successRate: 1 });
    expect(rows[1].windows.day.ttftP50Ms).toBeGreaterThan(97);
    expect(providerModelRows(off, listed, bucketsWithTraffic())).toMatchObject([{ modelSlug: "test/big", enabled: false }]);
    expect(providerModelRows(unused, listed, bucketsWithTraffic())).toEqual([]);
  });

  it("counts requests per hour over the last 24 hours, succeeded and failed, zeros between", () => {
    const buckets = bucketsWithTraffic();
    const chart = hourlyRequests(
      buckets.seriesOf(
        providerEndpoints(snapshot, "fast").map((e) => e.id),
        NOW - 24 * HOUR,
        HOUR,
      ),
      NOW,
    );
    expect(chart.points).toHaveLength(24);
    expect(chart.points[0].t).toBe(Date.parse("2026-11-21T13:00:00Z"));
    expect(chart.series.map((s) => [s.key, s.total])).toEqual([
      ["succeeded", 10],
      ["failed", 1],
    ]);
    expect(chart.points.at(-1)).toEqual({ t: Date.parse("2026-11-22T12:00:00Z"), succeeded: 9, failed: 1 });
    expect(chart.points.at(-4)).toEqual({ t: Date.parse("2026-11-22T09:00:00Z"), succeeded: 1, failed: 0 });
    expect(chart.points.at(-2)).toEqual({ t: Date.parse("2026-11-22T11:00:00Z"), succeeded: 0, failed: 0 });
  });

  it("adds hourly rollups into 30 UTC days of input and output tokens, or no series without any", () => {
    const row = (iso: string, promptTokens: number, completionTokens: number): UsageRow => ({
      start: new Date(iso),
      apiKeyId: "",
      modelSlug: "",
      providerSlug: "fast",
      requests: 1,
      errors: 0,
      promptTokens,
      completionTokens,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      costNanoUsd: 0n,
      ttftMsSum: 0,
      ttftCount: 0,
      latencyMsSum: 0,
      throughputSum: 0,
      throughputCount: 0,
    });
    const chart = dailyTokens(
      [row("2026-11-22T00:00:00Z", 100, 10), row("2026-11-22T12:00:00Z", 50, 5), row("2026-10-24T23:00:00Z", 7, 1), row("2026-10-23T23:00:00Z", 1000, 1000)],
      NOW,
    );
    expect(chart.points).toHaveLength(30);
    expect(chart.points[0]).toEqual({ t: Date.parse("2026-10-24T00:00:00Z"), input: 7, output: 1 });
    expect(chart.points.at(-1)).toEqual({ t: Date.parse("2026-11-22T00:00:00Z"), input: 150, output: 15 });
    expect(chart.series.map((s) => [s.label, s.total])).toEqual([
      ["Input", 157],
      ["Output", 16],
    ]);
    expect(dailyTokens([], NOW).series).toEqual([]);
  });

  it("says 'not configured' for a provider the gateway has no credential for, never 'enabled', and lists it after the enabled ones", () => {
    const empty = new StatBuckets(25 * HOUR, () => NOW);
    const keyless = (p: ProviderView) => p.slug !== "native";
    const summaries = providerSummaries(snapshot, listed, empty, keyless);
    expect(summaries.map((s) => [s.slug, s.status])).toEqual([
      ["fast", "enabled"],
      ["unused", "enabled"],
      ["native", "not_configured"],
      ["off", "disabled"],
    ]);
    expect(providerModelRows(native, listed, empty, keyless).map((r) => r.status)).toEqual(["not_configured"]);
    // Without a credential check every enabled provider counts as configured (the default).
    expect(providerModelRows(native, listed, empty).map((r) => r.status)).toEqual(["enabled"]);
  });
});
