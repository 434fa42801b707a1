/**
 * The rate-limit check on the hot path: count one request and reserve the request's
 * token estimate against every budget that applies, all or nothing, and later settle
 * the token reservation to what the call really used. Counting happens in a
 * `RateCounter` (the port; lib/rate-counters implements it with rate-limiter-flexible, in
 * memory or in Redis), so the rules stay here and the library stays out of the core.
 */
import { GatewayError } from "../errors.ts";
import { formatResetDuration, rateLimitHeaders, retryAfterHeaders, type LimitKind, type LimitState } from "./rate-limit-headers.ts";
import type { RateLimitRule } from "./rate-limit-rules.ts";
import type { RateCounter } from "../ports/rate-counter.ts";

/** Token reservations held for one request, to be settled once when it ends. */
export type RateLimitGrant = {
  reservedTokens: number;
  holds: { key: string; resetAt: number }[];
  settled: boolean;
};

export type RateLimitAdmission = { ok: true; grant: RateLimitGrant; headers: Record<string, string> } | { ok: false; error: GatewayError };

type Take = { key: string; amount: number; kind: LimitKind; limit: number; label: string };

function takesFor(rules: readonly RateLimitRule[], tokens: number): Take[] {
  const takes: Take[] = [];
  for (const rule of rules) {
    if (rule.rpm !== null) takes.push({ key: `req:${rule.bucket}`, amount: 1, kind: "requests", limit: rule.rpm, label: rule.label });
    if (rule.tpm !== null) takes.push({ key: `tok:${rule.bucket}`, amount: tokens, kind: "tokens", limit: rule.tpm, label: rule.label });
  }
  return takes;
}

/** A request that could never fit: its reservation alone is more than a token limit allows. */
function tooLargeError(take: Take, tokens: number): GatewayError {
  return new GatewayError(
    429,
    "rate_limit",
    `This request needs up to ${tokens} tokens (prompt estimate plus max_tokens), more than the ${take.limit} tokens per minute allowed for ${take.label}. Lower max_tokens or shorten the prompt.`,
    undefined,
    // Waiting cannot help, so no Retry-After, and the SDKs are told not to retry.
    { "x-ratelimit-limit-tokens": String(take.limit), "x-should-retry": "false" },
  );
}

function refusalError(refused: LimitState[], states: LimitState[], tokens: number, now: number): GatewayError {
  const longest = refused.reduce((a, b) => (b.resetInMs > a.resetInMs ? b : a));
  const wait = formatResetDuration(longest.resetInMs);
  const what =
    longest.kind === "requests"
      ? `${longest.limit} requests per minute`
      : `${longest.limit} tokens per minute (this request reserves ${tokens}, ${longest.remaining} left)`;
  // The refused limits speak for their kind; the other kind reports its tightest as usual.
  const refusedKinds = new Set(refused.map((state) => state.kind));
  const shown = [...refused, ...states.filter((state) => !refusedKinds.has(state.kind))];
  return new GatewayError(429, "rate_limit", `Rate limit reached for ${longest.label}: ${what}. Retry in ${wait}.`, undefined, {
    ...retryAfterHeaders(longest.resetInMs),
    ...rateLimitHeaders(shown, now),
  });
}

export async function admitRequest(counter: RateCounter, rules: readonly RateLimitRule[], tokens: number, now: number): Promise<RateLimitAdmission> {
  const takes = takesFor(rules, tokens);
  const grant: RateLimitGrant = { reservedTokens: tokens, holds: [], settled: false };
  if (takes.length === 0) return { ok: true, grant, headers: {} };
  const tooLarge = takes.find((take) => take.kind === "tokens" && take.amount > take.limit);
  if (tooLarge) return { ok: false, error: tooLargeError(tooLarge, tokens) };

  // All counters at once (one round trip to Redis); a refusal gives every take back.
  const results = await Promise.all(takes.map((take) => counter.add(take.key, take.amount)));
  const isRefused = takes.some((take, i) => results[i]!.total > take.limit);
  const states: LimitState[] = [];
  const refused: LimitState[] = [];
  takes.forEach((take, i) => {
    const { total, resetInMs } = results[i]!;
    // A refused request gives every share back, so what is left is counted without it.
    const state: LimitState = {
      kind: take.kind,
      limit: take.limit,
      remaining: Math.max(0, take.limit - (isRefused ? total - take.amount : total)),
      resetInMs,
      label: take.label,
    };
    states.push(state);
    if (total > take.limit) refused.push(state);
  });
  if (isRefused) {
    await Promise.all(takes.map((take) => counter.remove(take.key, take.amount)));
    return { ok: false, error: refusalError(refused, states, tokens, now) };
  }
  takes.forEach((take, i) => {
    if (take.kind === "tokens") grant.holds.push({ key: take.key, resetAt: now + results[i]!.resetInMs });
  });
  return { ok: true, grant, headers: rateLimitHeaders(states, now) };
}

/**
 * Settles a grant's token reservation to the tokens the call used: the unused part is
 * given back, an overrun is added. Only while the window it was taken from is still
 * current; a refund into a new window would hand out budget nobody spent. Once per grant.
 */
export async function settleTokens(counter: RateCounter, grant: RateLimitGrant, usedTokens: number, now: number): Promise<void> {
  if (grant.settled) return;
  grant.settled = true;
  const difference = grant.reservedTokens - Math.max(0, Math.round(usedTokens));
  if (difference === 0) return;
  await Promise.all(
    grant.holds
      .filter((hold) => now < hold.resetAt)
      .map((hold) => (difference > 0 ? counter.remove(hold.key, difference) : counter.add(hold.key, -difference).then(() => undefined))),
  );
}
