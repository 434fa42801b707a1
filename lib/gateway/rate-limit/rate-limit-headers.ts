/**
 * Rate-limit headers as OpenAI sends them: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`,
 * resets written as Go durations (`1s`, `6m0s`, `250ms`), plus `Retry-After` on a 429.
 * The same numbers also go out as Anthropic sends them, `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}`
 * with the reset as an RFC 3339 instant, so clients of either API read them their own
 * way (unknown headers are ignored by both SDKs). When several limits apply, the headers
 * describe the tightest one.
 */

export type LimitKind = "requests" | "tokens";

/** One limit as it stands after this request: how many it allows, how many are left, when it resets. */
export type LimitState = { kind: LimitKind; limit: number; remaining: number; resetInMs: number; label: string };

/** A duration in Go's format, as OpenAI writes its resets: 250ms, 1s, 1.5s, 6m0s, 1h0m0s. */
export function formatResetDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}

/** The limit closest to refusing: fewest left, then the smaller limit, then the later reset. */
export function selectTightest(states: readonly LimitState[]): LimitState | null {
  let best: LimitState | null = null;
  for (const state of states) {
    if (
      !best ||
      state.remaining < best.remaining ||
      (state.remaining === best.remaining && (state.limit < best.limit || (state.limit === best.limit && state.resetInMs > best.resetInMs)))
    ) {
      best = state;
    }
  }
  return best;
}

/** Anthropic writes resets as instants to the second, e.g. 2026-11-27T10:15:30Z. */
function formatResetInstant(nowMs: number, resetInMs: number): string {
  return new Date(Math.ceil((nowMs + Math.max(0, resetInMs)) / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export function rateLimitHeaders(states: readonly LimitState[], nowMs: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ["requests", "tokens"] as const) {
    const tightest = selectTightest(states.filter((state) => state.kind === kind));
    if (!tightest) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(tightest.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(tightest.remaining);
    headers[`x-ratelimit-reset-${kind}`] = formatResetDuration(tightest.resetInMs);
    headers[`anthropic-ratelimit-${kind}-limit`] = String(tightest.limit);
    headers[`anthropic-ratelimit-${kind}-remaining`] = String(tightest.remaining);
    headers[`anthropic-ratelimit-${kind}-reset`] = formatResetInstant(nowMs, tightest.resetInMs);
  }
  return headers;
}

/** `Retry-After` in whole seconds (at least 1), and the millisecond form the OpenAI SDKs prefer. */
export function retryAfterHeaders(ms: number): Record<string, string> {
  return { "retry-after": String(Math.max(1, Math.ceil(ms / 1000))), "retry-after-ms": String(Math.max(0, Math.round(ms))) };
}
