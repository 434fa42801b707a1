import "server-only";
/**
 * The admin console's catalog edits (docs/architecture.md §Admin console: models).
 *
 * Every edit is validated against the whole catalog with the file's own schema, then
 * written in one transaction with its audit row, and this instance's snapshot is dropped
 * (other instances notice through the change feed, lib/changes).
 *
 * Two modes:
 * - No CATALOG_FILE (the built-in catalog): the database holds the admin's edits. Rows
 *   written here get source "admin", which the start-up sync leaves alone; editing a
 *   built-in model therefore takes it over (later releases' prices no longer apply to it).
 * - CATALOG_FILE set: the file stays the source of truth, so each edit is also written
 *   back to the file (atomically, before the transaction commits) and rows keep source
 *   "catalog"; the next start's sync finds the file and the database already equal.
 */
import type { AccountUser } from "../../auth/user-service.ts";
import type { Db } from "../../db/client.ts";
import { NotFoundError } from "../../errors/not-found-error.ts";
import { ValidationError } from "../../errors/validation-error.ts";
import { recordAuditEvent } from "../../audit/audit-log.ts";
import { invalidateCatalogSnapshot } from "../catalog-cache.ts";
import type { CatalogModel } from "../catalog-schema.ts";
import { loadCatalogFile, resolveCatalogPath } from "../load-catalog.ts";
import { beginWrite, emptySyncSummary, syncModel, type RowSource } from "../sync-catalog.ts";
import { diffCatalogModels } from "./catalog-diff.ts";
import { applyModelEdit, type CatalogDocument } from "./catalog-edit.ts";
import { exportCatalog, toCatalogProvider } from "./catalog-export.ts";
import { writeCatalogFile } from "./catalog-file-writer.ts";

export type CatalogEditMode = { kind: "database" } | { kind: "file"; path: string };
export type AdminModelRow = { id: string; source: string; updatedAt: string; model: CatalogModel };

export const TX_OPTIONS = { timeout: 30_000, maxWait: 20_000 };

export function catalogEditMode(env: Readonly<Record<string, string | undefined>> = process.env): CatalogEditMode {
  return env.CATALOG_FILE?.trim() ? { kind: "file", path: resolveCatalogPath(env) } : { kind: "database" };
}

type BaseDocument = { document: CatalogDocument; fileProviders: Set<string> | null };

/** The catalog an edit applies to: the file when it is the source of truth, else the database. */
async function loadBaseDocument(db: Db, mode: CatalogEditMode): Promise<BaseDocument> {
  if (mode.kind === "database") return { document: await exportCatalog(db), fileProviders: null };
  const loaded = loadCatalogFile(mode.path);
  if (!loaded.ok) throw new ValidationError({ "": `The catalog file ${mode.path} is invalid; fix it first: ${loaded.errors.slice(0, 3).join("; ")}` });
  const inFile = new Set(loaded.catalog.providers.map((p) => p.slug));
  // Providers added in the console are not in the file but may serve an endpoint.
  const others = (await db.provider.findMany({ orderBy: { slug: "asc" } })).filter((p) => !inFile.has(p.slug)).map(toCatalogProvider);
  return { document: { ...loaded.catalog, providers: [...loaded.catalog.providers, ...others] }, fileProviders: inFile };
}

/** What goes back to the file: its own providers plus any console provider an endpoint now uses. */
function documentForFile(catalog: CatalogDocument, fileProviders: Set<string>): CatalogDocument {
  const used = new Set(catalog.models.flatMap((m) => m.endpoints.map((e) => e.provider)));
  return { ...catalog, providers: catalog.providers.filter((p) => fileProviders.has(p.slug) || used.has(p.slug)) };
}

/** Every provider's slug, for the model editor's endpoint choices. */
export async function listProviderSlugs(db: Db): Promise<string[]> {
  const providers = await db.provider.findMany({ select: { slug: true }, orderBy: { slug: "asc" } });
  return providers.map((p) => p.slug);
}

export async function listAdminModels(db: Db): Promise<AdminModelRow[]> {
  const [rows, catalog] = await Promise.all([db.model.findMany({ select: { id: true, slug: true, source: true, updatedAt: true } }), exportCatalog(db)]);
  const bySlug = new Map(rows.map((r) => [r.slug, r]));
  return catalog.models.map((model) => {
    const row = bySlug.get(model.id)!;
    return { id: row.id, source: row.source, updatedAt: row.updatedAt.toISOString(), model };
  });
}

export async function getAdminModel(db: Db, id: string): Promise<AdminModelRow> {
  const row = (await listAdminModels(db)).find((r) => r.id === id);
  if (!row) throw new NotFoundError("No such model");
  return row;
}

type SaveOptions = { id: string | null; action?: string; mode?: CatalogEditMode };

/** Creates (id null) or replaces a model with its endpoints; returns the saved row and the changed paths. */
export async function saveAdminModel(db: Db, actor: AccountUser, input: unknown, options: SaveOptions): Promise<{ row: AdminModelRow; changes: string[] }> {
  const mode = options.mode ?? catalogEditMode();
  const existing = options.id ? await db.model.findUnique({ where: { id: options.id } }) : null;
  if (options.id && !existing) throw new NotFoundError("No such model");
  const inputId = typeof input === "object" && input !== null ? (input as { id?: unknown }).id : undefined;
  if (existing && inputId !== existing.slug) throw new ValidationError({ id: "A model's id cannot change; create a new model instead" });
  if (!existing && typeof inputId === "string" && (await db.model.findUnique({ where: { slug: inputId } }))) {
    throw new ValidationError({ id: `duplicate model "${inputId}"` });
  }

  const base = await loadBaseDocument(db, mode);
  const { catalog, model } = applyModelEdit(base.document, input, existing?.slug ?? null);
  const before = existing ? (base.document.models.find((m) => m.id === existing.slug) ?? null) : null;
  const changes = diffCatalogModels(before, model);
  const source: RowSource = mode.kind === "file" ? "catalog" : "admin";

  const modelId = await db.$transaction(async (tx) => {
    await beginWrite(tx);
    const providerIds = new Map((await tx.provider.findMany({ select: { id: true, slug: true } })).map((p) => [p.slug, p.id]));
    model.endpoints.forEach((endpoint, index) => {
      if (!providerIds.has(endpoint.provider))
        throw new ValidationError({ [`endpoints.${index}.provider`]: `provider "${endpoint.provider}" is in the file but not loaded yet; restart to sync it` });
    });
    const last = await tx.model.aggregate({ _max: { sortOrder: true } });
    const sortOrder = existing?.sortOrder ?? (last._max.sortOrder ?? -1) + 1;
    const id = await syncModel(tx, model, { sortOrder, providerIds, summary: emptySyncSummary(), source });
    // Alias-only edits leave the model row as it was; other instances watch its updatedAt.
    await tx.model.update({ where: { id }, data: { updatedAt: new Date() } });
    await recordAuditEvent(tx, {
      actor,
      action: options.action ?? (existing ? "model.update" : "model.create"),
      targetType: "model",
      targetId: id,
      targetLabel: model.id,
      before,
      after: model,
    });
    if (mode.kind === "file") writeCatalogFile(mode.path, documentForFile(catalog, base.fileProviders!));
    return id;
  }, TX_OPTIONS);
  invalidateCatalogSnapshot();
  return { row: await getAdminModel(db, modelId), changes };
}

export async function setAdminModelEnabled(db: Db, actor: AccountUser, id: string, enabled: boolean): Promise<{ row: AdminModelRow; changes: string[] }> {
  const current = await getAdminModel(db, id);
  const { enabled: _previous, ...rest } = current.model;
  const input: CatalogModel = enabled ? rest : { ...rest, enabled: false };
  return saveAdminModel(db, actor, input, { id, action: enabled ? "model.enable" : "model.disable" });
}
