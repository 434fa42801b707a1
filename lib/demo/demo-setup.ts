/**
 * What demo mode changes before `npm start` prepares the instance (scripts/prepare.ts):
 * its own database and catalog, so a demo never replaces an operator's configuration.
 * - DATABASE_URL unset: `DATA_DIR/demo.db` (not the real `data/switchyard.db`).
 * - CATALOG_FILE unset: the demo catalog over the fake upstream, written to
 *   `DATA_DIR/demo-catalog.json` at every start (the fake's port changes each time).
 * Either one set by the operator is used as given. A database that already holds a
 * catalog without any demo provider is refused (see checkDemoDatabase).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "../db/client.ts";
import { buildDemoCatalog } from "./demo-catalog.ts";

export type DemoSetup = {
  /** DATABASE_URL and CATALOG_FILE as the demo uses them */
  env: { DATABASE_URL: string; CATALOG_FILE: string };
  /** true when the catalog is the demo's (written by this start), false when the operator's CATALOG_FILE is used */
  demoCatalog: boolean;
  fakeOrigin: string;
};

export class DemoSetupError extends Error {}

export function prepareDemoEnvironment(env: Readonly<Record<string, string | undefined>>, cwd: string): DemoSetup {
  const fakeOrigin = env.SWITCHYARD_DEMO_UPSTREAM?.trim();
  if (!fakeOrigin) throw new DemoSetupError("demo mode needs the fake upstream's address in SWITCHYARD_DEMO_UPSTREAM (the start script sets it)");
  const dataDir = path.resolve(cwd, env.DATA_DIR?.trim() || "data");
  const databaseUrl = env.DATABASE_URL?.trim() || `file:${path.join(dataDir, "demo.db")}`;
  const operatorCatalog = env.CATALOG_FILE?.trim();
  if (operatorCatalog) return { env: { DATABASE_URL: databaseUrl, CATALOG_FILE: operatorCatalog }, demoCatalog: false, fakeOrigin };
  const catalogFile = path.join(dataDir, "demo-catalog.json");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(catalogFile, `${JSON.stringify(buildDemoCatalog(fakeOrigin), null, 2)}\n`);
  return { env: { DATABASE_URL: databaseUrl, CATALOG_FILE: catalogFile }, demoCatalog: true, fakeOrigin };
}

/**
 * Refuses to sync the demo catalog into a database that holds another catalog: the sync
 * would remove that catalog's providers and models. A fresh database (no providers) or
 * one a demo start created (it has the demo's providers) is fine.
 */
export async function checkDemoDatabase(db: Db, demoProviderSlugs: readonly string[]): Promise<string | null> {
  const providers = await db.provider.findMany({ select: { slug: true } });
  if (providers.length === 0 || providers.some((p) => demoProviderSlugs.includes(p.slug))) return null;
  return `this database holds a catalog of ${providers.length} provider(s) that is not the demo's; demo mode would replace it. Unset DATABASE_URL (the demo then uses DATA_DIR/demo.db) or point it at a fresh database`;
}
