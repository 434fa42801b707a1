/**
 * What a request costs: metered usage × an endpoint's ZenMux-shaped `pricings`, in integer
 * nano-USD (BigInt). Pure: no I/O, no floating point in money arithmetic.
 *
 * THE rounding rule (the only one):
 * - A published price `value` (a JS number, e.g. 0.075 or 1e-7) is read as the exact decimal
 *   of its shortest string form (`String(value)`, exponent forms expanded on digits, not
 *   floats): 0.075 USD/M tokens = 75_000_000n nano-USD per million tokens; a perCount price is
 *   nano-USD per count. Prices finer than a nano-USD stay exact (kept as a fraction).
 * - Each fee-item line costs quantity × price, rounded HALF UP to a whole nano-USD, once per
 *   line (tokens: quantity × nanoPerMillion / 1_000_000). The total is the sum of the lines,
 *   so it is within 0.5 nano-USD per line of the exact amount.
 *
 * Tiers: the tier is chosen by the request's TOTAL prompt tokens (input + cache reads + cache
 * writes, `tierPromptTokens`) against each price's `conditions.prompt_tokens` (kTokens, via
 * `tierBounds`), and the same size picks the tier of every fee item; `conditions.
 * completion_tokens`, when present, is matched against the output tokens. A price without
 * conditions matches everything.
 *
 * Fee items (each token is billed exactly once; lines with quantity 0 are omitted):
 * - prompt: inputTokens (prompt tokens EXCLUDING cache reads and writes).
 * - input_cache_read: cacheReadTokens, at the prompt price when there is no cache-read price.
 * - cache writes: cacheWriteTokens at input_cache_write_5_min → input_cache_write → prompt;
 *   cacheWrite1hTokens at input_cache_write_1_h → input_cache_write → prompt.
 * - completion: outputTokens − reasoningTokens when an internal_reasoning price exists (the
 *   reasoning is then billed at internal_reasoning), otherwise all outputTokens.
 * - request × (requests ?? 1) and web_search × (webSearches ?? 0), perCount.
 * - Other items (image, audio, video…) and prices in a unit the item cannot use
 *   (e.g. perSecond) are ignored for now.
 * Token counts that are negative, NaN or infinite count as 0; fractions are floored.
 */
import { parseUsdToNano } from "./money.ts";
import { tierBounds, type FeeItem, type Price, type Pricings, type TokenRange } from "./price-schema.ts";

export type MeteredUsage = {
  /** prompt tokens billed at the plain prompt price: EXCLUDES cache reads and cache writes */
  inputTokens: number;
  cacheReadTokens: number;
  /** cache writes with unknown/5-minute TTL */
  cacheWriteTokens: number;
  /** cache writes with a 1-hour TTL (Anthropic) */
  cacheWrite1hTokens: number;
  /** all output tokens, INCLUDING reasoning tokens */
  outputTokens: number;
  /** the part of outputTokens that was reasoning */
  reasoningTokens: number;
  /** number of requests (perCount "request" items); normally 1 */
  requests?: number;
  webSearches?: number;
};

export type CostLine = {
  feeItem: string;
  quantity: number;
  unitPriceUsd: string;
  unit: "perMTokens" | "perCount";
  costNanoUsd: bigint;
};

export type CostBreakdown = { totalNanoUsd: bigint; lines: CostLine[]; tierPromptTokens: number };

const TOKENS_PER_UNIT = 1_000_000n; // perMTokens
const NANO_PER_USD = 1_000_000_000n;

/** A token or request count from an upstream: never negative, never NaN, whole. */
function count(value: number | null | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** input + cache reads + cache writes (both TTLs): the prompt size that selects the tier. */
export function promptTokensForTier(usage: MeteredUsage): number {
  return count(usage.inputTokens) + count(usage.cacheReadTokens) + count(usage.cacheWriteTokens) + count(usage.cacheWrite1hTokens);
}

function inRange(range: TokenRange | undefined, tokens: number): boolean {
  const { from, to } = tierBounds(range);
  return tokens >= from && tokens < to;
}

/**
 * The first price whose conditions match: `prompt_tokens` against promptTokens and, when
 * completionTokens is given, `completion_tokens` against it (a completion condition is not
 * checked when completionTokens is undefined). null when none matches or there are no prices.
 */
export function selectPrice(prices: Price[] | undefined, promptTokens: number, completionTokens?: number): Price | null {
  if (!prices || prices.length === 0) return null;
  const prompt = count(promptTokens);
  const completion = completionTokens === undefined ? undefined : count(completionTokens);
  for (const price of prices) {
    if (!inRange(price.conditions?.prompt_tokens, prompt)) continue;
    if (completion !== undefined && !inRange(price.conditions?.completion_tokens, completion)) continue;
    return price;
  }
  return null;
}

/** An exact price: nano-USD per unit (per million tokens or per count) = numerator / denominator. */
type ExactPrice = { text: string; numerator: bigint; denominator: bigint };

/**
 * `String(value)` as an exact decimal, without floats: "0.075", "1e-7" → "0.0000001",
 * "1e+21" → "1000000000000000000000". Negative or non-finite values (the catalog schema
 * forbids them) read as 0 so that billing never throws.
 */
export function exactPrice(value: number): ExactPrice {
  const match = Number.isFinite(value) && value >= 0 ? /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(value)) : null;
  if (!match) return { text: "0", numerator: 0n, denominator: 1n };
  const [, whole, fraction = "", exponent = "0"] = match;
  let digits = BigInt(whole + fraction);
  let scale = fraction.length - Number(exponent); // value = digits / 10^scale
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  const text = decimalText(digits, scale);
  // The usual case: at most 9 decimals and 12 whole digits, a whole number of nano-USD.
  const nano = parseUsdToNano(text);
  if (nano !== null) return { text, numerator: nano, denominator: 1n };
  return { text, numerator: digits * NANO_PER_USD, denominator: 10n ** BigInt(scale) };
}

function decimalText(digits: bigint, scale: number): string {
  if (scale === 0) return digits.toString();
  const padded = digits.toString().padStart(scale + 1, "0");
  const whole = padded.slice(0, padded.length - scale);
  const fraction = padded.slice(padded.length - scale).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

/** numerator / denominator rounded half up (both non-negative, denominator > 0). */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

function line(feeItem: string, quantity: number, price: Price, unit: CostLine["unit"]): CostLine {
  const exact = exactPrice(price.value);
  const perUnit = unit === "perMTokens" ? TOKENS_PER_UNIT : 1n;
  const costNanoUsd = roundHalfUp(BigInt(quantity) * exact.numerator, exact.denominator * perUnit);
  return { feeItem, quantity, unitPriceUsd: exact.text, unit, costNanoUsd };
}

export function computeCost(pricings: Pricings, usage: MeteredUsage): CostBreakdown {
  const tierPromptTokens = promptTokensForTier(usage);
  const outputTokens = count(usage.outputTokens);
  const reasoningTokens = Math.min(count(usage.reasoningTokens), outputTokens);

  /** The price of an item at this request's size, when the item has one in the wanted unit. */
  const priceOf = (item: FeeItem, unit: Price["unit"]): Price | null => {
    const prices = pricings[item];
    const price = selectPrice(prices, tierPromptTokens, outputTokens) ?? selectPrice(prices, tierPromptTokens);
    return price && price.unit === unit ? price : null;
  };
  const lines: CostLine[] = [];
  const addTokens = (feeItem: string, quantity: number, price: Price | null) => {
    if (quantity > 0 && price) lines.push(line(feeItem, quantity, price, "perMTokens"));
  };
  const addCount = (feeItem: FeeItem, quantity: number) => {
    const price = priceOf(feeItem, "perCount");
    if (quantity > 0 && price) lines.push(line(feeItem, quantity, price, "perCount"));
  };

  const prompt = priceOf("prompt", "perMTokens");
  addTokens("prompt", count(usage.inputTokens), prompt);
  addTokens("input_cache_read", count(usage.cacheReadTokens), priceOf("input_cache_read", "perMTokens") ?? prompt);

  const write = priceOf("input_cache_write", "perMTokens");
  const write5m = priceOf("input_cache_write_5_min", "perMTokens");
  addTokens(write5m ? "input_cache_write_5_min" : "input_cache_write", count(usage.cacheWriteTokens), write5m ?? write ?? prompt);
  addTokens("input_cache_write_1_h", count(usage.cacheWrite1hTokens), priceOf("input_cache_write_1_h", "perMTokens") ?? write ?? prompt);

  const reasoning = priceOf("internal_reasoning", "perMTokens");
  const completion = priceOf("completion", "perMTokens");
  if (reasoning) {
    addTokens("completion", outputTokens - reasoningTokens, completion);
    addTokens("internal_reasoning", reasoningTokens, reasoning);
  } else {
    addTokens("completion", outputTokens, completion);
  }

  addCount("request", usage.requests === undefined ? 1 : count(usage.requests));
  addCount("web_search", count(usage.webSearches));

  const totalNanoUsd = lines.reduce((sum, l) => sum + l.costNanoUsd, 0n);
  return { totalNanoUsd, lines, tierPromptTokens };
}

type OpenAiUsage = {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
};

/** Usage whose input count INCLUDES cached tokens and whose output count INCLUDES reasoning tokens (both OpenAI protocols). */
function fromInclusiveCounts(
  input: number | undefined,
  cachedInput: number | null | undefined,
  output: number | undefined,
  reasoning: number | null | undefined,
): MeteredUsage {
  const cached = count(cachedInput);
  return {
    inputTokens: Math.max(0, count(input) - cached),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: count(output),
    reasoningTokens: count(reasoning),
  };
}

/** OpenAI's prompt_tokens INCLUDES cached tokens; completion_tokens INCLUDES reasoning tokens. */
export function usageFromOpenAi(usage: OpenAiUsage): MeteredUsage {
  return fromInclusiveCounts(
    usage.prompt_tokens,
    usage.prompt_tokens_details?.cached_tokens,
    usage.completion_tokens,
    usage.completion_tokens_details?.reasoning_tokens,
  );
}

type ResponsesUsage = {
  input_tokens?: number;
  output_tokens?: number;
  input_tokens_details?: { cached_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
};

/** OpenAI Responses usage: `input_tokens` INCLUDES cached tokens, `output_tokens` INCLUDES reasoning. */
export function usageFromResponses(usage: ResponsesUsage): MeteredUsage {
  return fromInclusiveCounts(usage.input_tokens, usage.input_tokens_details?.cached_tokens, usage.output_tokens, usage.output_tokens_details?.reasoning_tokens);
}

type GeminiUsage = {
  promptTokenCount?: number;
  toolUsePromptTokenCount?: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
};

/**
 * Gemini usageMetadata: promptTokenCount INCLUDES cachedContentTokenCount; tool-use prompt
 * tokens (Google Search results, code execution) are billed as prompt; candidatesTokenCount
 * EXCLUDES thoughtsTokenCount, and both are billed as output.
 */
export function usageFromGemini(usage: GeminiUsage): MeteredUsage {
  const prompt = count(usage.promptTokenCount) + count(usage.toolUsePromptTokenCount);
  const cached = Math.min(count(usage.cachedContentTokenCount), prompt);
  const thoughts = count(usage.thoughtsTokenCount);
  return {
    inputTokens: prompt - cached,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: count(usage.candidatesTokenCount) + thoughts,
    reasoningTokens: thoughts,
  };
}

type AnthropicUsage = {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null;
  server_tool_use?: { web_search_requests?: number | null } | null;
};

/**
 * Anthropic's input_tokens EXCLUDES cache reads and writes. With a `cache_creation`
 * breakdown its 1h number is billed as 1-hour writes and the rest of
 * cache_creation_input_tokens (never less than its 5m number) as 5-minute writes; without
 * one, all cache_creation_input_tokens are 5-minute writes. Web searches come from
 * server_tool_use.web_search_requests.
 */
export function usageFromAnthropic(usage: AnthropicUsage): MeteredUsage {
  const creation = count(usage.cache_creation_input_tokens);
  const breakdown = usage.cache_creation;
  const write1h = breakdown ? count(breakdown.ephemeral_1h_input_tokens) : 0;
  const write5m = breakdown ? Math.max(count(breakdown.ephemeral_5m_input_tokens), creation - write1h) : creation;
  const metered: MeteredUsage = {
    inputTokens: count(usage.input_tokens),
    cacheReadTokens: count(usage.cache_read_input_tokens),
    cacheWriteTokens: write5m,
    cacheWrite1hTokens: write1h,
    outputTokens: count(usage.output_tokens),
    reasoningTokens: 0,
  };
  const searches = count(usage.server_tool_use?.web_search_requests);
  if (searches > 0) metered.webSearches = searches;
  return metered;
}

/**
 * The reservation for pre-authorisation: promptTokens at the prompt price of the tier they
 * select, plus maxOutputTokens at the completion price (or internal_reasoning when that is
 * dearer: reasoning counts against max output), plus the perCount request fee if any.
 */
export function estimateMaxCost(pricings: Pricings, promptTokens: number, maxOutputTokens: number): bigint {
  const output = count(maxOutputTokens);
  const base = computeCost(pricings, {
    inputTokens: promptTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: output,
    reasoningTokens: 0,
  }).totalNanoUsd;
  if (!pricings.internal_reasoning) return base;
  const allReasoning = computeCost(pricings, {
    inputTokens: promptTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: output,
    reasoningTokens: output,
  }).totalNanoUsd;
  return allReasoning > base ? allReasoning : base;
}
