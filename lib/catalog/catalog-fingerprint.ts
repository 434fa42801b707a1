/**
 * One cheap query that changes whenever the catalog does: the newest `updatedAt` and the
 * row count of each catalog table. Counts catch deletions, which leave no timestamp;
 * alias-only edits move their model's `updatedAt` (the admin service touches it).
 */
import type { Db } from "../db/client.ts";

export async function readCatalogFingerprint(db: Db): Promise<string> {
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT
      (SELECT MAX("updatedAt") FROM "Model") AS "models",
      (SELECT COUNT(*) FROM "Model") AS "modelCount",
      (SELECT MAX("updatedAt") FROM "Endpoint") AS "endpoints",
      (SELECT COUNT(*) FROM "Endpoint") AS "endpointCount",
      (SELECT MAX("updatedAt") FROM "Provider") AS "providers",
      (SELECT COUNT(*) FROM "Provider") AS "providerCount",
      (SELECT COUNT(*) FROM "ModelAlias") AS "aliasCount"`;
  return JSON.stringify(rows[0] ?? {}, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}
