/**
 * Synthetic, reproducible gateway traffic for bench/activity-queries.ts (pure: no
 * database). The shape follows what a shared gateway sees: one account sends most of
 * the calls across a few keys, each key favours a handful of models, popular models and
 * providers take most of the traffic (Zipf-like), about 2% of calls fail and 15% fail
 * over to another provider first, and traffic follows the working day.
 */
import type { GenerationRecord } from "../lib/gateway/ports/gateway-deps.ts";

export type Rng = () => number;

/** mulberry32: small, fast and seedable, so every run seeds the same data. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Picks from `items` in proportion to `weights` (binary search over the running sums). */
export function weightedPicker<T>(items: readonly T[], weights: readonly number[], rng: Rng): () => T {
  const sums: number[] = [];
  let total = 0;
  for (const w of weights) sums.push((total += w));
  return () => {
    const x = rng() * total;
    let lo = 0;
    let hi = sums.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sums[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo];
  };
}

const zipf = (n: number, s: number): number[] => Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);

function lognormal(rng: Rng, mu: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Math.exp(mu + sigma * z);
}

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Random ids shaped like the real ones (`gen_` + 16 base64url characters, cuid-like others). */
export function randomId(rng: Rng, prefix: string, length: number, alphabet = ID_CHARS): string {
  let id = prefix;
  for (let i = 0; i < length; i++) id += alphabet[Math.floor(rng() * alphabet.length)];
  return id;
}
export const cuidLike = (rng: Rng): string => randomId(rng, "c", 24, "0123456789abcdefghijklmnopqrstuvwxyz");

/** Price tiers in USD per million tokens (input, output). */
const TIERS = { nano: [0.1, 0.4], mini: [0.4, 1.6], mid: [3, 15], big: [15, 75], open: [0.6, 0.9] } as const;
type Tier = keyof typeof TIERS;
export type Model = { slug: string; providers: string[]; tier: Tier; reasoning: boolean };

// Forty models on twelve providers, most popular first (popularity follows this order).
const MODEL_TABLE: [string, string, Tier, boolean?][] = [
  ["openai/gpt-4o-mini", "openai azure", "mini"],
  ["anthropic/claude-sonnet-4", "anthropic aws-bedrock google-vertex", "mid"],
  ["google/gemini-2.5-flash", "google-ai-studio google-vertex", "mini"],
  ["openai/gpt-4.1", "openai azure", "mid"],
  ["openai/gpt-4o", "openai azure", "mid"],
  ["deepseek/deepseek-chat-v3", "deepseek together fireworks", "open"],
  ["anthropic/claude-3.5-haiku", "anthropic aws-bedrock", "mini"],
  ["openai/gpt-4.1-mini", "openai azure", "mini"],
  ["google/gemini-2.5-pro", "google-ai-studio google-vertex", "mid", true],
  ["openai/o4-mini", "openai azure", "mini", true],
  ["meta/llama-3.3-70b", "groq together fireworks", "open"],
  ["anthropic/claude-sonnet-4.5", "anthropic aws-bedrock google-vertex", "mid"],
  ["openai/gpt-5", "openai azure", "mid", true],
  ["mistral/mistral-small", "mistral", "nano"],
  ["deepseek/deepseek-r1", "deepseek together fireworks", "open", true],
  ["openai/gpt-4.1-nano", "openai", "nano"],
  ["google/gemini-2.0-flash", "google-ai-studio google-vertex", "nano"],
  ["qwen/qwen3-coder", "together fireworks", "open"],
  ["anthropic/claude-3.7-sonnet", "anthropic aws-bedrock", "mid"],
  ["openai/gpt-5-mini", "openai", "mini", true],
  ["meta/llama-3.1-8b", "groq together", "nano"],
  ["mistral/mistral-large", "mistral azure", "mid"],
  ["openai/o3", "openai azure", "mid", true],
  ["moonshot/kimi-k2", "together fireworks groq", "open"],
  ["anthropic/claude-opus-4", "anthropic aws-bedrock", "big", true],
  ["google/gemini-2.5-flash-lite", "google-ai-studio google-vertex", "nano"],
  ["xai/grok-3-mini", "xai", "mini", true],
  ["meta/llama-4-maverick", "groq together fireworks", "open"],
  ["qwen/qwen3-235b", "together fireworks", "open", true],
  ["openai/gpt-oss-120b", "groq together fireworks", "open"],
  ["anthropic/claude-haiku-4.5", "anthropic aws-bedrock", "mini"],
  ["mistral/codestral", "mistral", "mini"],
  ["xai/grok-4", "xai", "mid", true],
  ["meta/llama-4-scout", "groq together", "nano"],
  ["zhipu/glm-4.5", "together fireworks", "open"],
  ["google/gemma-3-27b", "together fireworks", "nano"],
  ["mistral/ministral-8b", "mistral", "nano"],
  ["qwen/qwen-2.5-72b", "together", "open"],
  ["cohere/command-r-plus", "aws-bedrock", "mid"],
  ["amazon/nova-pro", "aws-bedrock", "mini"],
];
export const MODELS: Model[] = MODEL_TABLE.map(([slug, providers, tier, reasoning]) => ({
  slug,
  providers: providers.split(" "),
  tier,
  reasoning: reasoning ?? false,
}));
export const PROVIDERS = [...new Set(MODELS.flatMap((m) => m.providers))];

/** The finish reason the bench filters on: rare, as a real content filter is. */
export const RARE_FINISH_REASON = "content_filter";

export type KeySpec = { id: string; pickModel: () => Model };
export type AccountSpec = { id: string; share: number; keys: KeySpec[]; pickKey: () => KeySpec };

/** A key favours a few models (its app's), with a little traffic to anything else. */
export function keyPreferences(rng: Rng): () => Model {
  const byPopularity = weightedPicker(MODELS, zipf(MODELS.length, 1), rng);
  const favourites = new Set<Model>();
  while (favourites.size < 6) favourites.add(byPopularity());
  const pickFavourite = weightedPicker([...favourites], zipf(favourites.size, 1.2), rng);
  return () => (rng() < 0.9 ? pickFavourite() : byPopularity());
}

const ERRORS = [
  { type: "rate_limited", http: 429, message: "Upstream rate limit reached, retry later" },
  { type: "upstream_error", http: 502, message: "The provider returned an error: 500 Internal Server Error" },
  { type: "timeout", http: 504, message: "No first token within 30 s" },
  { type: "invalid_request", http: 400, message: "max_tokens is too large for this model" },
];

export type SyntheticRecord = Omit<GenerationRecord, "content">;

/** Makes one call's record at `createdAt`; `pickAccount` decides whose it is. */
export function createRecordMaker(rng: Rng, pickAccount: () => AccountSpec) {
  const pickError = weightedPicker(ERRORS, [4, 3, 2, 1], rng);
  return (createdAt: Date): SyntheticRecord => {
    const account = pickAccount();
    const key = account.pickKey();
    const model = key.pickModel();
    const api = model.slug.startsWith("anthropic/") && rng() < 0.6 ? "messages" : "chat";
    const streamed = rng() < 0.65;
    const roll = rng();
    const status = roll < 0.02 ? "error" : roll < 0.025 && streamed ? "aborted" : "success";
    const error = status === "error" ? pickError() : null;
    const noRoute = status === "error" && rng() < 0.1;
    const providerWeights = model.providers.map((_, i) => [0.8, 0.15, 0.05][i] ?? 0.05);
    const served = model.providers[Math.min(model.providers.length - 1, weightedIndex(rng, providerWeights))];
    const attempts = noRoute ? [] : attemptChain(rng, model, served, status, createdAt);
    const [inUsd, outUsd] = TIERS[model.tier];
    const ok = status !== "error";
    const promptTokens = ok ? Math.min(200_000, Math.round(lognormal(rng, 7, 1.3))) : 0;
    const completionTokens = ok ? Math.min(16_000, Math.round(lognormal(rng, 5.3, 1)) >> (status === "aborted" ? 1 : 0)) : 0;
    const cacheReadTokens = ok && rng() < 0.3 ? Math.floor(promptTokens * rng() * 0.8) : 0;
    const cacheWriteTokens = ok && rng() < 0.05 ? Math.floor(promptTokens * 0.2) : 0;
    const reasoningTokens = ok && model.reasoning ? Math.floor(completionTokens * 0.4) : 0;
    // nano-USD per token = USD per million tokens * 1000
    const inputCost = BigInt(Math.round(inUsd * 1000 * (promptTokens - cacheReadTokens) + inUsd * 100 * cacheReadTokens));
    const outputCost = BigInt(Math.round(outUsd * 1000 * completionTokens));
    const ttftMs = ok && streamed ? Math.round(150 + lognormal(rng, 6, 0.7)) : null;
    const latencyMs = Math.round((ttftMs ?? 200) + completionTokens * (8 + rng() * 30));
    const generationMs = latencyMs - (ttftMs ?? 0);
    const finishReason = status !== "success" ? null : finishReasonOf(rng, api);
    return {
      id: randomId(rng, "gen_", 16),
      userId: account.id,
      apiKeyId: key.id,
      api,
      requestedModel: rng() < 0.85 ? model.slug : model.slug.split("/")[1],
      modelSlug: noRoute ? null : model.slug,
      providerSlug: noRoute ? null : attempts[attempts.length - 1].providerSlug,
      endpointId: noRoute ? null : `${attempts[attempts.length - 1].providerSlug}:${model.slug}`,
      streamed,
      status,
      httpStatus: error?.http ?? 200,
      errorType: error?.type ?? null,
      errorMessage: error?.message ?? null,
      finishReason,
      promptTokens,
      completionTokens,
      cacheReadTokens,
      cacheWriteTokens,
      reasoningTokens,
      costNanoUsd: inputCost + outputCost,
      costBreakdown: ok ? costBreakdown(inUsd, outUsd, promptTokens - cacheReadTokens, cacheReadTokens, completionTokens, inputCost, outputCost) : null,
      ttftMs,
      latencyMs: status === "error" ? Math.round(50 + rng() * 3000) : latencyMs,
      throughput: ok && streamed && generationMs > 0 ? Math.round((completionTokens / (generationMs / 1000)) * 10) / 10 : null,
      createdAt,
      attempts,
    };
  };
}

function weightedIndex(rng: Rng, weights: number[]): number {
  let x = rng() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) < 0) return i;
  return weights.length - 1;
}

function finishReasonOf(rng: Rng, api: string): string {
  const r = rng();
  if (api === "messages") return r < 0.001 ? "refusal" : r < 0.07 ? "max_tokens" : r < 0.25 ? "tool_use" : "end_turn";
  return r < 0.001 ? RARE_FINISH_REASON : r < 0.07 ? "length" : r < 0.22 ? "tool_calls" : "stop";
}

/** One attempt per call, two (now and then three) when the first provider failed. */
function attemptChain(rng: Rng, model: Model, served: string, status: string, createdAt: Date): GenerationRecord["attempts"] {
  const failovers = rng() < 0.15 ? (rng() < 0.1 ? 2 : 1) : 0;
  const others = model.providers.filter((p) => p !== served);
  const chain: GenerationRecord["attempts"] = [];
  let at = createdAt.getTime();
  for (let seq = 0; seq <= failovers; seq++) {
    const last = seq === failovers;
    const providerSlug = last ? served : (others[seq % Math.max(1, others.length)] ?? served);
    const failed = !last || status === "error";
    const durationMs = Math.round(failed ? 100 + rng() * 2000 : 400 + rng() * 8000);
    chain.push({
      seq,
      providerSlug,
      endpointId: `${providerSlug}:${model.slug}`,
      status: failed ? (rng() < 0.3 ? "timeout" : "error") : status === "aborted" ? "aborted" : "success",
      httpStatus: failed ? 503 : 200,
      errorType: failed ? "upstream_error" : null,
      errorMessage: failed ? "Service Unavailable" : null,
      durationMs,
      served: !failed,
      startedAt: new Date(at),
    });
    at += durationMs;
  }
  return chain;
}

function costBreakdown(inUsd: number, outUsd: number, input: number, cached: number, output: number, inputCost: bigint, outputCost: bigint): string {
  const cachedCost = BigInt(Math.round(inUsd * 100 * cached));
  const lines = [
    { feeItem: "input_tokens", quantity: input, unitPriceUsd: (inUsd / 1e6).toFixed(10), costNanoUsd: (inputCost - cachedCost).toString() },
    ...(cached > 0 ? [{ feeItem: "cache_read_tokens", quantity: cached, unitPriceUsd: (inUsd / 1e7).toFixed(10), costNanoUsd: cachedCost.toString() }] : []),
    { feeItem: "output_tokens", quantity: output, unitPriceUsd: (outUsd / 1e6).toFixed(10), costNanoUsd: outputCost.toString() },
  ];
  return JSON.stringify(lines);
}

/**
 * Call timestamps per hour over `hours` hours ending at `now`, in order, summing to
 * `total`: weekday working hours (UTC) busier than nights and weekends.
 */
export function hourlyCounts(total: number, hours: number, now: number): { start: number; end: number; count: number }[] {
  const lastHour = Math.floor(now / 3_600_000) * 3_600_000;
  const slots = Array.from({ length: hours }, (_, i) => {
    const start = lastHour - (hours - 1 - i) * 3_600_000;
    const date = new Date(start);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const daytime = 0.6 + 0.4 * Math.sin(((date.getUTCHours() - 8) / 24) * 2 * Math.PI);
    const end = Math.min(start + 3_600_000, now);
    return { start, end, weight: daytime * (weekend ? 0.6 : 1) * ((end - start) / 3_600_000) };
  });
  const sum = slots.reduce((a, s) => a + s.weight, 0);
  const counts = slots.map((s) => ({ start: s.start, end: s.end, count: Math.floor((total * s.weight) / sum) }));
  let missing = total - counts.reduce((a, c) => a + c.count, 0);
  for (let i = 0; missing > 0; i++, missing--) counts[i % counts.length].count++;
  return counts;
}
