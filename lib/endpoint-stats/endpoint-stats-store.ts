/** The database side of endpoint statistics (lib/gateway/health/stats-sync.ts). */
import type { Db } from "../db/client.ts";
import type { StatBucket } from "../gateway/health/stat-buckets.ts";
import type { StatsStore, StoredBucket } from "../gateway/ports/stats-store.ts";
import type { LogHistogram } from "../gateway/health/log-histogram.ts";

function parseHistogram(text: string): LogHistogram {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" ? (value as LogHistogram) : {};
  } catch {
    return {};
  }
}

export function createEndpointStatsStore(db: Db): StatsStore {
  return {
    async save(writer: string, buckets: StatBucket[], at: Date) {
      // Each writer owns its rows: overwrite with this instance's totals.
      await db.$transaction(
        buckets.map((b) => {
          const values = {
            requests: b.requests,
            failures: b.failures,
            probes: b.probes,
            probeFailures: b.probeFailures,
            ttftHistogram: JSON.stringify(b.ttft),
            throughputHistogram: JSON.stringify(b.throughput),
            updatedAt: at,
          };
          return db.endpointStatBucket.upsert({
            where: { endpointId_minute_writer: { endpointId: b.endpointId, minute: new Date(b.start), writer } },
            create: { endpointId: b.endpointId, minute: new Date(b.start), writer, ...values },
            update: values,
          });
        }),
      );
    },
    async loadSavedSince(since: Date, writer: string, minMinute: Date): Promise<StoredBucket[]> {
      const rows = await db.endpointStatBucket.findMany({ where: { updatedAt: { gt: since }, minute: { gte: minMinute }, writer: { not: writer } } });
      return rows.map((r) => ({
        writer: r.writer,
        endpointId: r.endpointId,
        start: r.minute.getTime(),
        requests: r.requests,
        failures: r.failures,
        probes: r.probes,
        probeFailures: r.probeFailures,
        ttft: parseHistogram(r.ttftHistogram),
        throughput: parseHistogram(r.throughputHistogram),
      }));
    },
    async purgeBefore(minute: Date) {
      return (await db.endpointStatBucket.deleteMany({ where: { minute: { lt: minute } } })).count;
    },
  };
}
