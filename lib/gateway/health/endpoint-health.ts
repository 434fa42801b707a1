/**
 * Rolling per-endpoint statistics and circuit breakers: the numbers the router orders
 * by and the console shows (one source for both). In memory per instance; step 7
 * persists them as time buckets.
 */
import { CircuitBreaker, DEFAULT_CIRCUIT_OPTIONS, type CircuitOptions, type CircuitState } from "./circuit-breaker.ts";

type Sample = { at: number; ok: boolean; ttftMs?: number; tokensPerSecond?: number };

export type EndpointStats = {
  endpointId: string;
  requests: number;
  successRate: number | null;
  ttftP50Ms: number | null;
  ttftP90Ms: number | null;
  throughputP50: number | null;
  circuit: CircuitState;
};

export type HealthOptions = { windowMs: number; maxSamples: number; circuit: CircuitOptions; now: () => number };

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Stats are recomputed at most this often per endpoint (routing reads them on every request). */
const STATS_CACHE_MS = 1000;

export class EndpointHealth {
  private samples = new Map<string, Sample[]>();
  private statsCache = new Map<string, { at: number; stats: EndpointStats }>();
  private breakers = new Map<string, CircuitBreaker>();
  private readonly options: HealthOptions;

  constructor(options: Partial<HealthOptions> = {}) {
    this.options = { windowMs: 5 * 60_000, maxSamples: 500, circuit: DEFAULT_CIRCUIT_OPTIONS, now: Date.now, ...options };
  }

  breaker(endpointId: string): CircuitBreaker {
    let breaker = this.breakers.get(endpointId);
    if (!breaker) {
      breaker = new CircuitBreaker(this.options.circuit, this.options.now);
      this.breakers.set(endpointId, breaker);
    }
    return breaker;
  }

  recordSuccess(endpointId: string, measured: { ttftMs?: number; tokensPerSecond?: number }): void {
    this.push(endpointId, { at: this.options.now(), ok: true, ...measured });
    this.breaker(endpointId).recordSuccess();
  }

  recordFailure(endpointId: string): void {
    this.push(endpointId, { at: this.options.now(), ok: false });
    this.breaker(endpointId).recordFailure();
  }

  stats(endpointId: string): EndpointStats {
    const now = this.options.now();
    const cached = this.statsCache.get(endpointId);
    if (cached && now - cached.at < STATS_CACHE_MS) return { ...cached.stats, circuit: this.breakers.get(endpointId)?.state() ?? "closed" };
    const stats = this.computeStats(endpointId);
    this.statsCache.set(endpointId, { at: now, stats });
    return stats;
  }

  private computeStats(endpointId: string): EndpointStats {
    const samples = this.fresh(endpointId);
    const ttfts = samples.flatMap((s) => (s.ttftMs !== undefined ? [s.ttftMs] : []));
    const rates = samples.flatMap((s) => (s.tokensPerSecond !== undefined ? [s.tokensPerSecond] : []));
    return {
      endpointId,
      requests: samples.length,
      successRate: samples.length ? samples.filter((s) => s.ok).length / samples.length : null,
      ttftP50Ms: percentile(ttfts, 50),
      ttftP90Ms: percentile(ttfts, 90),
      throughputP50: percentile(rates, 50),
      circuit: this.breakers.get(endpointId)?.state() ?? "closed",
    };
  }

  private fresh(endpointId: string): Sample[] {
    const list = this.samples.get(endpointId) ?? [];
    const horizon = this.options.now() - this.options.windowMs;
    return list.filter((s) => s.at >= horizon);
  }

  private push(endpointId: string, sample: Sample) {
    this.statsCache.delete(endpointId);
    const list = this.samples.get(endpointId) ?? [];
    list.push(sample);
    const horizon = sample.at - this.options.windowMs;
    while (list.length > 0 && (list.length > this.options.maxSamples || list[0].at < horizon)) list.shift();
    this.samples.set(endpointId, list);
  }
}
