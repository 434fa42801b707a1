/** The port where endpoint statistics are kept across restarts and instances (stats-sync.ts uses it). */
import type { StatBucket } from "../health/stat-buckets.ts";

export type StoredBucket = StatBucket & { writer: string };

/** Where buckets live (lib/endpoint-stats implements it with the database). */
export interface StatsStore {
  save(writer: string, buckets: StatBucket[], at: Date): Promise<void>;
  /** rows of writers other than `writer`, saved after `since`, for minutes from `minMinute` on */
  loadSavedSince(since: Date, writer: string, minMinute: Date): Promise<StoredBucket[]>;
  purgeBefore(minute: Date): Promise<number>;
}
