import "server-only";
/**
 * Importing a whole catalog file in the console: validated by the same loader as
 * `catalog:check` (so errors read `models[3].endpoints[0].provider: unknown provider "x"`),
 * then applied in one transaction with its audit row.
 *
 * - CATALOG_FILE set: the upload replaces the file and is synced exactly as a start would.
 * - Built-in catalog: providers and models in the upload are written as console rows
 *   (source "admin"). Models left out are removed when the console created them, and
 *   disabled (and taken over) when they come from the built-in catalog, because removing
 *   those would only bring them back at the next start.
 */
import type { AccountUser } from "../../auth/user-service.ts";
import type { Db } from "../../db/client.ts";
import { ValidationError } from "../../errors/validation-error.ts";
import { recordAuditEvent } from "../../audit/audit-log.ts";
import { invalidateCatalogSnapshot } from "../catalog-cache.ts";
import type { CatalogFile, CatalogProvider } from "../catalog-schema.ts";
import { parseCatalogText } from "../load-catalog.ts";
import { beginWrite, emptySyncSummary, syncCatalogInTransaction, syncModel, type Tx } from "../sync-catalog.ts";
import { catalogEditMode, TX_OPTIONS, type CatalogEditMode } from "./catalog-admin-service.ts";
import { planCatalogImport, type CatalogImportPlan } from "./catalog-diff.ts";
import { importErrorsToFields } from "./catalog-edit.ts";
import { exportCatalog } from "./catalog-export.ts";
import { writeCatalogFile } from "./catalog-file-writer.ts";
import type { UrlCheck } from "../../provider-config/url-policy.ts";

export const MAX_IMPORT_BYTES = 5_000_000;

export type CatalogImportResult = CatalogImportPlan & { providers: number };

/** The base URL policy an admin's provider URLs must pass (lib/provider-config/url-policy.ts). */
export type BaseUrlCheck = (raw: string) => Promise<UrlCheck>;

export async function importCatalogText(
  db: Db,
  actor: AccountUser,
  text: string,
  checkBaseUrl: BaseUrlCheck,
  mode: CatalogEditMode = catalogEditMode(),
): Promise<CatalogImportResult> {
  const loaded = parseCatalogText(text, "upload");
  if (!loaded.ok) throw new ValidationError(importErrorsToFields(loaded.errors));
  const catalog = loaded.catalog;
  const checkedSlugs = await checkProviderUrls(db, catalog.providers, checkBaseUrl);
  const current = await exportCatalog(db);
  const plan = planCatalogImport(current.models, catalog.models);

  await db.$transaction(async (tx) => {
    await beginWrite(tx);
    if (mode.kind === "file") {
      // The file decides: console rows it names become the file's again.
      await tx.model.updateMany({ where: { source: "admin", slug: { in: catalog.models.map((m) => m.id) } }, data: { source: "catalog" } });
      await syncUploadedFile(tx, catalog, checkedSlugs);
    } else {
      await applyToDatabase(tx, catalog);
    }
    await recordAuditEvent(tx, {
      actor,
      action: "catalog.import",
      targetType: "catalog",
      targetLabel: mode.kind === "file" ? mode.path : "database",
      before: { providers: current.providers.length, models: current.models.length },
      after: { providers: catalog.providers.length, models: catalog.models.length, ...plan },
    });
    if (mode.kind === "file") writeCatalogFile(mode.path, catalog);
  }, TX_OPTIONS);
  invalidateCatalogSnapshot();
  return { ...plan, providers: catalog.providers.length };
}

/**
 * A base URL that an upload adds or changes is an admin-entered URL: it must pass the same
 * policy as one typed into the providers page (no private or metadata addresses unless
 * ALLOW_PRIVATE_UPSTREAMS=true). URLs already in the database were accepted before.
 * Returns the slugs of the providers whose URL was checked.
 */
async function checkProviderUrls(db: Db, providers: CatalogProvider[], check: BaseUrlCheck): Promise<Set<string>> {
  const known = new Map((await db.provider.findMany({ select: { slug: true, baseUrl: true } })).map((p) => [p.slug, p.baseUrl]));
  const fields: Record<string, string> = {};
  const checked = new Set<string>();
  for (const [index, provider] of providers.entries()) {
    if (known.get(provider.slug) === provider.baseUrl) continue;
    checked.add(provider.slug);
    const result = await check(provider.baseUrl);
    if (!result.ok) fields[`providers[${index}].baseUrl`] = result.message;
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return checked;
}

/**
 * File mode: the upload's providers are synced as the file's (so its edits apply even to
 * console-owned rows), then the ones an admin entered, through this upload or earlier in
 * the console, are console rows again. That keeps their connect-time address check
 * (ProviderView.source "admin"): a save-time check alone would let a name that resolves
 * to a public address now be rebound to a private one later.
 */
async function syncUploadedFile(tx: Tx, catalog: CatalogFile, checkedSlugs: Set<string>) {
  const slugs = catalog.providers.map((p) => p.slug);
  const adminBefore = await tx.provider.findMany({ where: { source: "admin", slug: { in: slugs } }, select: { slug: true } });
  await tx.provider.updateMany({ where: { source: "admin", slug: { in: slugs } }, data: { source: "catalog" } });
  await syncCatalogInTransaction(tx, catalog);
  const adminAfter = [...checkedSlugs, ...adminBefore.map((p) => p.slug)];
  if (adminAfter.length > 0) await tx.provider.updateMany({ where: { slug: { in: adminAfter } }, data: { source: "admin" } });
}

async function upsertProviders(tx: Tx, providers: CatalogProvider[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const provider of providers) {
    const data = {
      name: provider.name,
      adapter: provider.adapter,
      baseUrl: provider.baseUrl,
      apiKeyEnv: provider.apiKeyEnv ?? null,
      enabled: provider.enabled ?? true,
      source: "admin",
    };
    // An encrypted credential entered in the console stays: the file format has none.
    const row = await tx.provider.upsert({ where: { slug: provider.slug }, create: { slug: provider.slug, ...data }, update: data, select: { id: true } });
    ids.set(provider.slug, row.id);
  }
  for (const row of await tx.provider.findMany({ select: { id: true, slug: true } })) if (!ids.has(row.slug)) ids.set(row.slug, row.id);
  return ids;
}

async function applyToDatabase(tx: Tx, catalog: CatalogFile) {
  const providerIds = await upsertProviders(tx, catalog.providers);
  const summary = emptySyncSummary();
  for (const [index, model] of catalog.models.entries()) {
    const id = await syncModel(tx, model, { sortOrder: index, providerIds, summary, source: "admin" });
    await tx.model.update({ where: { id }, data: { updatedAt: new Date() } });
  }
  const keep = catalog.models.map((m) => m.id);
  await tx.model.deleteMany({ where: { source: "admin", slug: { notIn: keep } } });
  await tx.model.updateMany({ where: { source: "catalog", slug: { notIn: keep } }, data: { enabled: false, source: "admin" } });
}
