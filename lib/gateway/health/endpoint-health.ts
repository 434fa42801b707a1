/**
 * Per-endpoint statistics and circuit breakers: the numbers the router orders by and
 * the model pages show (one source for both). Outcomes go into one-minute buckets
 * (stat-buckets.ts); the router reads the last 5 minutes, the pages also the last hour
 * and day and a series for charts. Buckets are persisted and reloaded (stats-sync.ts),
 * so they survive restarts and are shared by instances.
 */
import { CircuitBreaker, DEFAULT_CIRCUIT_OPTIONS, type CircuitOptions, type CircuitState } from "./circuit-breaker.ts";
import { StatBuckets, type WindowStats } from "./stat-buckets.ts";

export type EndpointStats = {
  endpointId: string;
  requests: number;
  successRate: number | null;
  ttftP50Ms: number | null;
  ttftP90Ms: number | null;
  throughputP50: number | null;
  circuit: CircuitState;
};

export type AvailabilityWindows = { fiveMinutes: WindowStats; hour: WindowStats; day: WindowStats };

export type HealthOptions = { windowMs: number; circuit: CircuitOptions; now: () => number };

/** Exact nearest-rank percentile of raw values (the histograms approximate this). */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Stats are recomputed at most this often per endpoint (routing reads them on every request). */
const STATS_CACHE_MS = 1000;

export class EndpointHealth {
  readonly buckets: StatBuckets;
  private statsCache = new Map<string, { at: number; stats: EndpointStats }>();
  private breakers = new Map<string, CircuitBreaker>();
  private readonly options: HealthOptions;

  constructor(options: Partial<HealthOptions> = {}) {
    this.options = { windowMs: 5 * 60_000, circuit: DEFAULT_CIRCUIT_OPTIONS, now: Date.now, ...options };
    this.buckets = new StatBuckets(25 * 3_600_000, this.options.now);
  }

  breaker(endpointId: string): CircuitBreaker {
    let breaker = this.breakers.get(endpointId);
    if (!breaker) {
      breaker = new CircuitBreaker(this.options.circuit, this.options.now);
      this.breakers.set(endpointId, breaker);
    }
    return breaker;
  }

  recordSuccess(endpointId: string, measured: { ttftMs?: number; tokensPerSecond?: number; probe?: boolean }): void {
    this.statsCache.delete(endpointId);
    this.buckets.record(endpointId, { ok: true, ...measured });
    this.breaker(endpointId).recordSuccess();
  }

  recordFailure(endpointId: string, options: { probe?: boolean } = {}): void {
    this.statsCache.delete(endpointId);
    this.buckets.record(endpointId, { ok: false, probe: options.probe });
    this.breaker(endpointId).recordFailure();
  }

  /** The routing window (5 minutes), cached for a second. */
  stats(endpointId: string): EndpointStats {
    const now = this.options.now();
    const circuit = this.breakers.get(endpointId)?.state() ?? "closed";
    const cached = this.statsCache.get(endpointId);
    if (cached && now - cached.at < STATS_CACHE_MS) return { ...cached.stats, circuit };
    const w = this.buckets.window(endpointId, this.options.windowMs);
    const stats: EndpointStats = {
      endpointId,
      requests: w.requests,
      successRate: w.successRate,
      ttftP50Ms: w.ttftP50Ms,
      ttftP90Ms: w.ttftP90Ms,
      throughputP50: w.throughputP50,
      circuit,
    };
    this.statsCache.set(endpointId, { at: now, stats });
    return stats;
  }

  /** Availability and speed over the last 5 minutes, hour and day (for the pages). */
  windows(endpointId: string): AvailabilityWindows {
    return {
      fiveMinutes: this.buckets.window(endpointId, 5 * 60_000),
      hour: this.buckets.window(endpointId, 3_600_000),
      day: this.buckets.window(endpointId, 86_400_000),
    };
  }

  /** Newly loaded buckets change the numbers: forget cached stats. */
  invalidate(): void {
    this.statsCache.clear();
  }
}
