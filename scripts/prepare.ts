/**
 * The first half of `npm start`, run by scripts/serve.mjs as a short-lived child (it needs
 * tsx for lib/'s TypeScript; the server does not): prepare the instance (data folder,
 * AUTH_SECRET, migrations, catalog), build when the build is missing or stale, then hand
 * the server its environment and HTTP timeouts as JSON on file descriptor 3 and exit 0. Any other exit
 * code is a failed start, already explained on stderr.
 */
import { writeSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { leaseOptionsFromEnv } from "../lib/billing/ledger-billing.ts";
import { formatNanoUsd } from "../lib/gateway/metering/money.ts";
import { redactUrl } from "../lib/db/database-url.ts";
import { sqliteWriteWorkerEnabled } from "../lib/db/sqlite-write-worker.ts";
import { isBuildCurrent } from "../lib/setup/build-fingerprint.ts";
import { ensureProductionBuild } from "../lib/setup/production-build.ts";
import { prepareInstance, StartupError } from "../lib/setup/prepare-instance.ts";
import { accessLogSettings } from "../lib/server/access-log-settings.ts";
import { buildDemoCatalog, DEMO_CREDENTIAL_ENV } from "../lib/demo/demo-catalog.ts";
import { isDemoMode } from "../lib/demo/demo-mode.ts";
import { checkDemoDatabase, DemoSetupError, prepareDemoEnvironment, type DemoSetup } from "../lib/demo/demo-setup.ts";
import { ServerTimeoutError, serverTimeouts } from "../lib/setup/server-timeouts.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const log = (message: string) => console.log(`switchyard: ${message}`);

async function main(): Promise<number> {
  const port = process.env.PORT?.trim() || "3000";
  if (!/^\d+$/.test(port) || Number(port) > 65535) {
    console.error(`switchyard: PORT must be a port number, got "${port}"`);
    return 1;
  }

  let timeouts;
  try {
    timeouts = serverTimeouts(process.env);
  } catch (error) {
    if (!(error instanceof ServerTimeoutError)) throw error;
    console.error(`switchyard: ${error.message}`);
    return 1;
  }

  let leases;
  let writeWorker;
  try {
    leases = leaseOptionsFromEnv(process.env);
    writeWorker = sqliteWriteWorkerEnabled(process.env);
    accessLogSettings(process.env);
  } catch (error) {
    console.error(`switchyard: ${(error as Error).message}`);
    return 1;
  }

  // Demo mode: its own database and catalog unless the operator set them (lib/demo/demo-setup.ts).
  let demo: DemoSetup | null = null;
  try {
    demo = isDemoMode(process.env) ? prepareDemoEnvironment(process.env, root) : null;
  } catch (error) {
    if (!(error instanceof DemoSetupError)) throw error;
    console.error(`switchyard: ${error.message}`);
    return 1;
  }
  const demoSlugs = buildDemoCatalog("http://127.0.0.1").providers.map((p) => p.slug);
  const env = demo ? { ...process.env, ...demo.env } : process.env;

  let prepared;
  try {
    prepared = await prepareInstance(env, root, demo?.demoCatalog ? { checkDatabase: (db) => checkDemoDatabase(db, demoSlugs) } : {});
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    console.error(`switchyard: ${error.message}`);
    for (const line of error.details) console.error(`  ${line}`);
    return 1;
  }
  const { target, authSecret, catalog, migrationsApplied } = prepared;
  log(
    `database ${target.kind === "sqlite" ? `SQLite ${path.relative(root, target.filePath) || target.filePath}` : `PostgreSQL ${redactUrl(target.url)}`}` +
      (migrationsApplied.length ? ` (applied ${migrationsApplied.join(", ")})` : " (up to date)"),
  );
  log(
    `catalog ${path.relative(root, catalog.path)}: ${catalog.models} models, ${catalog.providers} providers ` +
      `(${catalog.sync.created} created, ${catalog.sync.updated} updated, ${catalog.sync.removed} removed)`,
  );
  log(
    leases
      ? "billing: balance leases and group-committed settlement (BILLING_LEASES=off for per-request holds)"
      : "billing: per-request holds (BILLING_LEASES=off)",
  );
  if (target.kind === "sqlite")
    log(
      writeWorker
        ? "SQLite: activity and settlement batches written on a worker thread (SQLITE_WRITE_WORKER=off to write them on the serving thread)"
        : "SQLite: activity and settlement batches written on the serving thread (SQLITE_WRITE_WORKER=off)",
    );
  if (prepared.purgedGenerations > 0) log(`purged ${prepared.purgedGenerations} activity rows older than LOG_RETENTION_DAYS`);
  if (prepared.purgedResponses > 0) log(`purged ${prepared.purgedResponses} stored responses past RESPONSE_RETENTION_DAYS`);
  const { instance } = prepared;
  if (instance.recovered.released > 0) {
    log(
      `instance ${instance.instanceId}: recovered ${instance.recovered.released} hold(s) left by crashed runs, charging $${formatNanoUsd(instance.recovered.chargedNanoUsd)} checkpointed before the crash`,
    );
  }
  if (instance.recovered.leases.leases > 0)
    log(
      `instance ${instance.instanceId}: returned ${instance.recovered.leases.leases} balance lease(s) left by crashed runs ($${formatNanoUsd(instance.recovered.leases.releasedNanoUsd)}), charging $${formatNanoUsd(instance.recovered.leases.chargedNanoUsd)} for streams checkpointed before the crash`,
    );
  if (instance.recovered.recordsWritten > 0)
    log(`instance ${instance.instanceId}: wrote ${instance.recovered.recordsWritten} activity record(s) of calls charged before a crash`);
  if (demo)
    log(
      `demo mode: providers are the fake upstream at ${demo.fakeOrigin}, credential in ${DEMO_CREDENTIAL_ENV} (not a real key)${demo.demoCatalog ? "" : "; the catalog is CATALOG_FILE, as set"}`,
    );
  if (authSecret.origin === "generated") log(`generated AUTH_SECRET and saved it in ${path.relative(root, authSecret.file!)}`);

  // Tests and supervisors that built beforehand set SWITCHYARD_NO_BUILD=1: a stale build
  // is then an error, never a slow (or, with several starts at once, racing) rebuild.
  if (process.env.SWITCHYARD_NO_BUILD === "1") {
    if (!isBuildCurrent(root)) {
      console.error("switchyard: the build is missing or stale and SWITCHYARD_NO_BUILD=1; run npm run build");
      return 1;
    }
  } else if (ensureProductionBuild(root, { log }) === "failed") {
    console.error("switchyard: the build failed (see above)");
    return 1;
  }

  const serverEnv: Record<string, string> = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    // The gateway drains its requests and writes its last records on SIGTERM, then
    // exits (lib/server/gateway.ts); Next's own handler would exit before that.
    NEXT_MANUAL_SIG_HANDLE: "true",
    DATABASE_URL: target.url,
    ...(demo ? { CATALOG_FILE: demo.env.CATALOG_FILE } : {}),
    // The server takes holds in this run's name (lib/billing/instance-registry.ts).
    SWITCHYARD_INSTANCE_ID: instance.instanceId,
    SWITCHYARD_BOOT_ID: instance.bootId,
    AUTH_SECRET: authSecret.secret,
    NEXTAUTH_SECRET: authSecret.secret,
    // next-auth builds its callback URLs from NEXTAUTH_URL; without PUBLIC_BASE_URL it
    // trusts the Host / X-Forwarded-* headers (set by the reverse proxy, if any).
    ...(process.env.PUBLIC_BASE_URL?.trim() ? { NEXTAUTH_URL: process.env.PUBLIC_BASE_URL.trim() } : { AUTH_TRUST_HOST: "true" }),
  };
  writeSync(3, JSON.stringify({ env: serverEnv, timeouts }));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`switchyard: start failed: ${error.message}`);
    process.exit(1);
  },
);
