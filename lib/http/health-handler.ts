import "server-only";
/**
 * GET /api/health: 200 when the database answers, 503 otherwise (for load balancers),
 * with the activity queue's and billing's figures (counts and sums over the process: no
 * record, no account, no error text).
 */
import { getDb, pingDb } from "../db/client.ts";
import { formatNanoUsd } from "../gateway/metering/money.ts";
import { resolveDatabaseTarget } from "../db/database-url.ts";
import { configuredSqliteWriteThread } from "../db/sqlite-write-worker.ts";
import { billingStats, generationQueueStats } from "../server/gateway.ts";
import { jsonResponse } from "./json-response.ts";

export async function handleHealth(): Promise<Response> {
  const databaseUp = await pingDb(getDb());
  const { queued, limit, parked, dropped, via, offThreadBatches } = generationQueueStats();
  const activityQueue = { queued, limit, parked, dropped, writtenOn: via, offThreadBatches };
  return jsonResponse(
    { status: databaseUp ? "ok" : "unavailable", database: databaseUp ? "ok" : "unreachable", activityQueue, billing: billingFigures() },
    { status: databaseUp ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}

/**
 * Balance leases and group commit in this process (all zero until it has served a generation);
 * `writtenOn`: where group commits are written (`worker`: SQLite's write worker thread), and
 * `offThreadBatches` how many the worker wrote.
 */
function billingFigures() {
  const stats = billingStats();
  const leases = stats ? stats.leases : process.env.BILLING_LEASES?.trim().toLowerCase() !== "off";
  const writtenOn = stats?.writtenOn ?? (leases ? configuredSqliteWriteThread(resolveDatabaseTarget(process.env.DATABASE_URL)) : "main");
  return {
    mode: leases ? "leases" : "per-request",
    leasesHeld: stats?.leasesHeld ?? 0,
    leasedUsd: formatNanoUsd(stats?.leasedNanoUsd ?? 0n),
    heldUsd: formatNanoUsd(stats?.heldNanoUsd ?? 0n),
    queuedSettlements: stats?.queuedSettlements ?? 0,
    groupCommit: { batches: stats?.groupCommitBatches ?? 0, calls: stats?.groupCommitCalls ?? 0, writtenOn, offThreadBatches: stats?.offThreadBatches ?? 0 },
    perRequestFallbacks: stats?.perRequestFallbacks ?? 0,
  };
}
