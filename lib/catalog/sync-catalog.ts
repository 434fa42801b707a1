/**
 * Writes a validated catalog file into the database, idempotently: providers, models,
 * aliases and endpoints are matched by slug, only changed rows are written, and
 * catalog-sourced rows missing from the file are removed. Rows with source "admin"
 * (created or taken over in the admin console) are left alone, even when the file
 * has a model or provider of the same id: the console's version wins until it is
 * deleted there. A stored credential (credentialEncrypted) is never touched.
 */
import type { Db } from "../db/client.ts";
import type { CatalogEndpoint, CatalogFile, CatalogModel, CatalogProvider } from "./catalog-schema.ts";

export type SyncSummary = { created: number; updated: number; removed: number; unchanged: number };

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type RowSource = "catalog" | "admin";

export const emptySyncSummary = (): SyncSummary => ({ created: 0, updated: 0, removed: 0, unchanged: 0 });

export async function syncCatalog(db: Db, catalog: CatalogFile): Promise<SyncSummary> {
  return db.$transaction(
    async (tx) => {
      // Another instance writing meanwhile (heartbeats, statistics) would otherwise make the
      // first write after these reads fail on SQLite; on a second start that write is the last one.
      await beginWrite(tx);
      return syncCatalogInTransaction(tx, catalog);
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/**
 * SQLite: take the write lock with the transaction's first statement, so it never holds a
 * read lock while waiting to upgrade (the deadlock the ledger's rule avoids). A no-op here.
 */
export async function beginWrite(tx: Tx): Promise<void> {
  await tx.$executeRaw`UPDATE "Model" SET "sortOrder" = "sortOrder" WHERE "id" = ''`;
}

/** The sync inside the caller's transaction (the admin console's import writes its audit row in it too). */
export async function syncCatalogInTransaction(tx: Tx, catalog: CatalogFile): Promise<SyncSummary> {
  const summary = emptySyncSummary();
  const providerIds = await syncProviders(tx, catalog.providers, summary);
  const adminSlugs = new Set((await tx.model.findMany({ where: { source: "admin" }, select: { slug: true } })).map((m) => m.slug));
  for (const [index, model] of catalog.models.entries()) {
    if (adminSlugs.has(model.id)) count(summary, "unchanged");
    else await syncModel(tx, model, { sortOrder: index, providerIds, summary, source: "catalog" });
  }
  const keep = catalog.models.map((m) => m.id);
  const removed = await tx.model.deleteMany({ where: { source: "catalog", slug: { notIn: keep } } });
  summary.removed += removed.count;
  return summary;
}

function count(summary: SyncSummary, outcome: "created" | "updated" | "unchanged") {
  summary[outcome] += 1;
}

async function syncProviders(tx: Tx, providers: CatalogProvider[], summary: SyncSummary): Promise<Map<string, string>> {
  const existing = new Map((await tx.provider.findMany()).map((p) => [p.slug, p]));
  const ids = new Map<string, string>();
  for (const provider of providers) {
    const data = {
      name: provider.name,
      adapter: provider.adapter,
      baseUrl: provider.baseUrl,
      apiKeyEnv: provider.apiKeyEnv ?? null,
      enabled: provider.enabled ?? true,
      source: "catalog",
    };
    const row = existing.get(provider.slug);
    if (!row) {
      const created = await tx.provider.create({ data: { slug: provider.slug, ...data } });
      ids.set(provider.slug, created.id);
      count(summary, "created");
      continue;
    }
    ids.set(provider.slug, row.id);
    // The console owns it (created there, or edited there and so detached from the file):
    // the file's endpoints may still use it, but its fields are the admin's.
    if (row.source === "admin") {
      count(summary, "unchanged");
      continue;
    }
    if (differs(row, data)) {
      await tx.provider.update({ where: { id: row.id }, data });
      count(summary, "updated");
    } else count(summary, "unchanged");
  }
  const removed = await tx.provider.deleteMany({ where: { source: "catalog", slug: { notIn: providers.map((p) => p.slug) } } });
  summary.removed += removed.count;
  return ids;
}

type ModelWrite = { sortOrder: number; providerIds: Map<string, string>; summary: SyncSummary; source: RowSource };

/** Creates or updates one model with its aliases and endpoints; returns the model row's id. */
export async function syncModel(tx: Tx, model: CatalogModel, write: ModelWrite): Promise<string> {
  const { sortOrder, providerIds, summary, source } = write;
  const capabilities = model.capabilities ?? {};
  const data = {
    vendor: model.id.split("/")[0],
    displayName: model.name,
    description: model.description ?? "",
    inputModalities: JSON.stringify(model.inputModalities ?? ["text"]),
    outputModalities: JSON.stringify(model.outputModalities ?? ["text"]),
    capabilities: JSON.stringify({
      tools: capabilities.tools ?? false,
      vision: capabilities.vision ?? (model.inputModalities ?? []).includes("image"),
      reasoning: capabilities.reasoning ?? false,
      json: capabilities.json ?? false,
    }),
    contextLength: model.contextLength,
    maxOutput: model.maxOutput ?? null,
    releasedAt: model.created ? new Date(`${model.created}T00:00:00Z`) : null,
    enabled: model.enabled ?? true,
    source,
    sortOrder,
  };
  const row = await tx.model.findUnique({ where: { slug: model.id } });
  let modelId: string;
  if (!row) {
    modelId = (await tx.model.create({ data: { slug: model.id, ...data } })).id;
    count(summary, "created");
  } else {
    modelId = row.id;
    if (differs(row, data)) {
      await tx.model.update({ where: { id: row.id }, data });
      count(summary, "updated");
    } else count(summary, "unchanged");
  }
  await syncAliases(tx, modelId, model.aliases ?? []);
  await syncEndpoints(tx, modelId, model, providerIds, summary, source);
  return modelId;
}

async function syncAliases(tx: Tx, modelId: string, aliases: string[]) {
  await tx.modelAlias.deleteMany({ where: { modelId, alias: { notIn: aliases } } });
  for (const alias of aliases) {
    // An alias may move between models when the file changes.
    await tx.modelAlias.upsert({ where: { alias }, create: { alias, modelId }, update: { modelId } });
  }
}

async function syncEndpoints(tx: Tx, modelId: string, model: CatalogModel, providerIds: Map<string, string>, summary: SyncSummary, source: RowSource) {
  const existing = await tx.endpoint.findMany({ where: { modelId } });
  const kept = new Set<string>();
  for (const [index, endpoint] of model.endpoints.entries()) {
    const providerId = providerIds.get(endpoint.provider)!;
    const data = endpointData(endpoint, index);
    const row = existing.find((e) => e.providerId === providerId && e.name === endpoint.name);
    if (row) {
      kept.add(row.id);
      if (differs(row, data)) {
        await tx.endpoint.update({ where: { id: row.id }, data });
        count(summary, "updated");
      } else count(summary, "unchanged");
      continue;
    }
    // The (provider, name) pair may exist under another model when an endpoint moved.
    const moved = await tx.endpoint.findUnique({
      where: { providerId_name: { providerId, name: endpoint.name } },
      include: { model: { select: { source: true } } },
    });
    // The file never takes an endpoint away from a model the console owns.
    if (moved && source === "catalog" && moved.model.source === "admin") {
      count(summary, "unchanged");
    } else if (moved) {
      await tx.endpoint.update({ where: { id: moved.id }, data: { ...data, modelId } });
      kept.add(moved.id);
      count(summary, "updated");
    } else {
      kept.add((await tx.endpoint.create({ data: { ...data, modelId, providerId, name: endpoint.name } })).id);
      count(summary, "created");
    }
  }
  const stale = existing.filter((e) => !kept.has(e.id)).map((e) => e.id);
  if (stale.length > 0) summary.removed += (await tx.endpoint.deleteMany({ where: { id: { in: stale } } })).count;
}

function endpointData(endpoint: CatalogEndpoint, sortOrder: number) {
  return {
    upstreamModel: endpoint.upstreamModel,
    pricings: JSON.stringify(endpoint.pricings),
    contextLength: endpoint.contextLength ?? null,
    maxOutput: endpoint.maxOutput ?? null,
    supportedParameters: JSON.stringify(endpoint.supportedParameters ?? []),
    enabled: endpoint.enabled ?? true,
    priceSource: endpoint.priceSource ? `${endpoint.priceSource.url} (${endpoint.priceSource.date})` : null,
    sortOrder,
  };
}

/** True when any field of `data` differs from the stored row. */
function differs(row: Record<string, unknown>, data: Record<string, unknown>): boolean {
  return Object.entries(data).some(([key, value]) => {
    const stored = row[key];
    if (value instanceof Date || stored instanceof Date) return (stored as Date | null)?.getTime() !== (value as Date | null)?.getTime();
    return stored !== value;
  });
}
