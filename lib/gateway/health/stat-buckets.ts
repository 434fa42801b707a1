/**
 * Per-endpoint outcomes in one-minute buckets: requests, failures, probe results and
 * log histograms of TTFT and throughput. Windows (the last 5 minutes, hour, day) and
 * chart series are sums of buckets, so the router and the pages read the same numbers.
 *
 * Buckets written by this instance are "local"; buckets other writers persisted (other
 * instances, and this instance before a restart) are "foreign" and are replaced
 * wholesale when reloaded. A window adds both. Each writer persists its own totals per
 * (endpoint, minute, instance), so saving is an idempotent overwrite, never a merge.
 */
import { addToHistogram, histogramPercentile, mergeHistograms, type LogHistogram } from "./log-histogram.ts";

export const BUCKET_MS = 60_000;

export type StatBucket = {
  endpointId: string;
  /** epoch ms of the minute's start */
  start: number;
  requests: number;
  failures: number;
  /** how many of `requests` were active health probes, and how many of those failed */
  probes: number;
  probeFailures: number;
  ttft: LogHistogram;
  throughput: LogHistogram;
};

export type Outcome = { ok: boolean; ttftMs?: number; tokensPerSecond?: number; probe?: boolean };

export type WindowStats = {
  requests: number;
  failures: number;
  probes: number;
  /** successes / requests; null without requests */
  successRate: number | null;
  ttftP50Ms: number | null;
  ttftP90Ms: number | null;
  throughputP50: number | null;
};

const emptyBucket = (endpointId: string, start: number): StatBucket => ({
  endpointId,
  start,
  requests: 0,
  failures: 0,
  probes: 0,
  probeFailures: 0,
  ttft: {},
  throughput: {},
});

export function bucketStart(at: number): number {
  return Math.floor(at / BUCKET_MS) * BUCKET_MS;
}

export function addBucket(into: StatBucket, from: StatBucket): StatBucket {
  into.requests += from.requests;
  into.failures += from.failures;
  into.probes += from.probes;
  into.probeFailures += from.probeFailures;
  mergeHistograms(into.ttft, from.ttft);
  mergeHistograms(into.throughput, from.throughput);
  return into;
}

export function summarize(bucket: StatBucket): WindowStats {
  return {
    requests: bucket.requests,
    failures: bucket.failures,
    probes: bucket.probes,
    successRate: bucket.requests > 0 ? (bucket.requests - bucket.failures) / bucket.requests : null,
    ttftP50Ms: histogramPercentile(bucket.ttft, 50),
    ttftP90Ms: histogramPercentile(bucket.ttft, 90),
    throughputP50: histogramPercentile(bucket.throughput, 50),
  };
}

export class StatBuckets {
  private local = new Map<string, Map<number, StatBucket>>();
  private foreign = new Map<string, Map<string, StatBucket>>();
  private dirty = new Map<string, StatBucket>();

  constructor(
    private readonly retainMs = 25 * 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(endpointId: string, outcome: Outcome): void {
    const start = bucketStart(this.now());
    let byStart = this.local.get(endpointId);
    if (!byStart) this.local.set(endpointId, (byStart = new Map()));
    let bucket = byStart.get(start);
    if (!bucket) {
      byStart.set(start, (bucket = emptyBucket(endpointId, start)));
      this.prune(byStart);
    }
    bucket.requests += 1;
    if (!outcome.ok) bucket.failures += 1;
    if (outcome.probe) {
      bucket.probes += 1;
      if (!outcome.ok) bucket.probeFailures += 1;
    }
    if (outcome.ttftMs !== undefined) addToHistogram(bucket.ttft, outcome.ttftMs);
    if (outcome.tokensPerSecond !== undefined) addToHistogram(bucket.throughput, outcome.tokensPerSecond);
    this.dirty.set(`${endpointId}|${start}`, bucket);
  }

  /** This instance's buckets changed since the last call (copies), to persist. */
  takeDirty(): StatBucket[] {
    const changed = [...this.dirty.values()].map((b) => addBucket(emptyBucket(b.endpointId, b.start), b));
    this.dirty.clear();
    return changed;
  }

  /** Puts back buckets whose save failed, unless they changed again meanwhile. */
  restoreDirty(buckets: StatBucket[]): void {
    for (const b of buckets) {
      const key = `${b.endpointId}|${b.start}`;
      const current = this.local.get(b.endpointId)?.get(b.start);
      if (current && !this.dirty.has(key)) this.dirty.set(key, current);
    }
  }

  /** Adds or replaces buckets persisted by other writers; `writer` tells them apart. */
  putForeign(buckets: (StatBucket & { writer: string })[]): void {
    const horizon = this.now() - this.retainMs;
    for (const { writer, ...bucket } of buckets) {
      if (bucket.start < horizon) continue;
      let byKey = this.foreign.get(bucket.endpointId);
      if (!byKey) this.foreign.set(bucket.endpointId, (byKey = new Map()));
      byKey.set(`${bucket.start}|${writer}`, bucket);
    }
    for (const byKey of this.foreign.values()) for (const [key, b] of byKey) if (b.start < horizon) byKey.delete(key);
  }

  /** The sum of the buckets that overlap the last `windowMs`. */
  window(endpointId: string, windowMs: number): WindowStats {
    return this.windowOf([endpointId], windowMs);
  }

  /** Several endpoints' buckets (a provider's) summed over the last `windowMs`; percentiles come from the merged histograms. */
  windowOf(endpointIds: readonly string[], windowMs: number): WindowStats {
    const since = this.now() - windowMs;
    const total = emptyBucket(endpointIds.join(","), since);
    for (const bucket of this.bucketsOf(endpointIds)) if (bucket.start + BUCKET_MS > since) addBucket(total, bucket);
    return summarize(total);
  }

  /** Buckets summed per `stepMs` (a multiple of a minute) since `sinceMs`, oldest first; steps without traffic are left out. */
  series(endpointId: string, sinceMs: number, stepMs: number): { start: number; stats: WindowStats }[] {
    return this.seriesOf([endpointId], sinceMs, stepMs);
  }

  /** The same series with several endpoints' buckets added up. */
  seriesOf(endpointIds: readonly string[], sinceMs: number, stepMs: number): { start: number; stats: WindowStats }[] {
    const steps = new Map<number, StatBucket>();
    for (const bucket of this.bucketsOf(endpointIds)) {
      if (bucket.start < sinceMs) continue;
      const step = Math.floor(bucket.start / stepMs) * stepMs;
      let sum = steps.get(step);
      if (!sum) steps.set(step, (sum = emptyBucket(bucket.endpointId, step)));
      addBucket(sum, bucket);
    }
    return [...steps.values()].sort((a, b) => a.start - b.start).map((b) => ({ start: b.start, stats: summarize(b) }));
  }

  private *bucketsOf(endpointIds: readonly string[]): Iterable<StatBucket> {
    for (const endpointId of new Set(endpointIds)) {
      yield* this.local.get(endpointId)?.values() ?? [];
      yield* this.foreign.get(endpointId)?.values() ?? [];
    }
  }

  private prune(byStart: Map<number, StatBucket>) {
    const horizon = this.now() - this.retainMs;
    for (const start of byStart.keys()) if (start < horizon) byStart.delete(start);
  }
}
