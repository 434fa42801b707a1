/**
 * Everything `npm start` does before serving, in order, as one function the start
 * script and the tests share: data folder, auth secret, migrations, catalog sync, and
 * the recovery of holds left by this instance's earlier runs.
 * Failures are thrown as StartupError with a message fit for the operator's terminal.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { createDb, type Db } from "../db/client.ts";
import { redactUrl, resolveDatabaseTarget, type DatabaseTarget } from "../db/database-url.ts";
import { applyMigrations } from "../db/migrate.ts";
import { loadCatalogFile, resolveCatalogPath } from "../catalog/load-catalog.ts";
import { syncCatalog, type SyncSummary } from "../catalog/sync-catalog.ts";
import { purgeOldActivity, retentionPolicy } from "../activity/retention.ts";
import { purgeExpiredResponses } from "../responses/response-store.ts";
import { livenessTimings, registerBoot, resolveIdentity, type InstanceIdentity } from "../billing/instance-registry.ts";
import { recoverOrphanedHolds, type RecoverySummary } from "../billing/orphaned-holds.ts";
import { ensureAuthSecret, type AuthSecret } from "./auth-secret.ts";

export class StartupError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export type PreparedInstance = {
  target: DatabaseTarget;
  dataDir: string;
  authSecret: AuthSecret;
  migrationsApplied: string[];
  catalog: { path: string; models: number; providers: number; sync: SyncSummary };
  purgedGenerations: number;
  /** stored Responses answers past RESPONSE_RETENTION_DAYS */
  purgedResponses: number;
  /** this run's identity (passed to the server) and the holds its earlier runs, or other dead instances, left */
  instance: InstanceIdentity & { recovered: RecoverySummary };
};

export type PrepareOptions = {
  /** Runs after the migrations, before the catalog sync; a message refuses the start (demo mode's check of the database). */
  checkDatabase?: (db: Db) => Promise<string | null>;
};

export async function prepareInstance(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd = process.cwd(),
  options: PrepareOptions = {},
): Promise<PreparedInstance> {
  const dataDir = path.resolve(cwd, env.DATA_DIR?.trim() || "data");
  mkdirSync(dataDir, { recursive: true });
  const authSecret = ensureAuthSecret(env, dataDir);

  let target: DatabaseTarget;
  try {
    target = resolveDatabaseTarget(env.DATABASE_URL, cwd);
  } catch (error) {
    throw new StartupError((error as Error).message);
  }

  // Validate the catalog before touching the database: a bad file changes nothing.
  const catalogPath = resolveCatalogPath(env, cwd);
  const loaded = loadCatalogFile(catalogPath);
  if (!loaded.ok) throw new StartupError(`the catalog file ${catalogPath} is invalid:`, loaded.errors);

  let migrationsApplied: string[];
  try {
    migrationsApplied = (await applyMigrations(target)).applied;
  } catch (error) {
    const where = target.kind === "sqlite" ? target.filePath : redactUrl(target.url);
    throw new StartupError(`could not prepare the database at ${where}: ${(error as Error).message}`);
  }

  const db = createDb(target);
  try {
    const refusal = options.checkDatabase ? await options.checkDatabase(db) : null;
    if (refusal) throw new StartupError(refusal);
    const sync = await syncCatalog(db, loaded.catalog);
    const purged = await purgeOldActivity(db, retentionPolicy(env));
    const purgedResponses = await purgeExpiredResponses(db);
    // Before serving: registering this boot orphans what the instance's earlier runs held
    // (a crash), and recovery charges their checkpoints and frees the holds, so the first
    // request sees the account's whole balance.
    const identity = resolveIdentity(env);
    await registerBoot(db, identity);
    const recovered = await recoverOrphanedHolds(db, { staleMs: livenessTimings(env).staleMs });
    return {
      instance: { ...identity, recovered },
      purgedGenerations: purged.generations,
      purgedResponses,
      target,
      dataDir,
      authSecret,
      migrationsApplied,
      catalog: { path: catalogPath, models: loaded.catalog.models.length, providers: loaded.catalog.providers.length, sync },
    };
  } finally {
    await db.$disconnect();
  }
}
