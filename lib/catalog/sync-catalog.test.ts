import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { exportCatalog } from "./admin/catalog-export";
import { catalogSchema, type CatalogFile } from "./catalog-schema";
import { loadCatalogSnapshot } from "./catalog-snapshot";
import { BUILTIN_CATALOG_PATH, loadCatalogFile } from "./load-catalog";
import { toZenMuxModelList } from "../public-pages/public-model-lists";
import { syncCatalog } from "./sync-catalog";

const EXAMPLE = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../tests/fixtures/architecture-example-catalog.json"), "utf8")) as CatalogFile;

function builtin(): CatalogFile {
  const result = loadCatalogFile(BUILTIN_CATALOG_PATH);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.catalog;
}

async function counts(t: TestDatabase) {
  const [providers, models, endpoints, aliases] = await Promise.all([
    t.db.provider.count(),
    t.db.model.count(),
    t.db.endpoint.count(),
    t.db.modelAlias.count(),
  ]);
  return { providers, models, endpoints, aliases };
}

describe("catalog sync", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let t: TestDatabase;
      beforeAll(async () => {
        t = await createTestDatabase(kind);
      });
      afterAll(async () => t?.drop());

      it("writes the built-in catalog, and a second sync changes nothing", async () => {
        const catalog = builtin();
        const first = await syncCatalog(t.db, catalog);
        const endpointCount = catalog.models.reduce((n, m) => n + m.endpoints.length, 0);
        expect(first.created).toBe(catalog.providers.length + catalog.models.length + endpointCount);
        const afterFirst = await counts(t);
        expect(afterFirst).toMatchObject({ providers: catalog.providers.length, models: catalog.models.length, endpoints: endpointCount });

        const second = await syncCatalog(t.db, catalog);
        expect(second).toEqual({ created: 0, updated: 0, removed: 0, unchanged: first.created });
        expect(await counts(t)).toEqual(afterFirst);
      });

      it("removes a model dropped from the file, so it leaves the public list", async () => {
        const catalog = builtin();
        const dropped = catalog.models[0].id;
        const summary = await syncCatalog(t.db, { ...catalog, models: catalog.models.slice(1) });
        expect(summary.removed).toBeGreaterThanOrEqual(1);
        const list = toZenMuxModelList(await loadCatalogSnapshot(t.db));
        expect(list.data.map((m) => m.id)).not.toContain(dropped);
        expect(list.data).toHaveLength(catalog.models.length - 1);
      });

      it("applies changed prices, aliases and endpoints in place", async () => {
        const catalog = builtin();
        await syncCatalog(t.db, catalog);
        const model = structuredClone(catalog.models.find((m) => m.endpoints.length >= 3)!);
        model.endpoints[0].pricings.prompt = [{ value: 9.99, unit: "perMTokens", currency: "USD" }];
        model.aliases = ["brand-new-alias"];
        const removedEndpoint = model.endpoints.pop()!;
        const changed = { ...catalog, models: catalog.models.map((m) => (m.id === model.id ? model : m)) };
        const summary = await syncCatalog(t.db, changed);
        expect(summary.created).toBe(0);
        expect(summary.removed).toBe(1);

        const snapshot = await loadCatalogSnapshot(t.db);
        const stored = snapshot.models.find((m) => m.slug === model.id)!;
        expect(stored.endpoints[0].pricings.prompt).toEqual([{ value: 9.99, unit: "perMTokens", currency: "USD" }]);
        expect(stored.aliases).toEqual(["brand-new-alias"]);
        expect(stored.endpoints.map((e) => e.slug)).not.toContain(`${removedEndpoint.provider}/${removedEndpoint.name}`);
      });

      it("leaves console-owned providers and stored credentials alone, while the file's endpoints still use them", async () => {
        const catalog = builtin();
        await syncCatalog(t.db, catalog);
        const slug = catalog.providers[0].slug;
        await t.db.provider.update({
          where: { slug },
          data: { name: "Renamed in the console", baseUrl: "https://proxy.example.com/v1", enabled: false, source: "admin" },
        });
        const other = catalog.providers[1].slug;
        await t.db.provider.update({ where: { slug: other }, data: { credentialEncrypted: "v1.key.iv.tag.ciphertext" } });
        await t.db.provider.create({
          data: { slug: "console-only", name: "Console only", adapter: "openai", baseUrl: "https://c.example.com/v1", source: "admin" },
        });

        const summary = await syncCatalog(t.db, catalog);
        expect(summary).toMatchObject({ created: 0, updated: 0, removed: 0 });
        expect(await t.db.provider.findUniqueOrThrow({ where: { slug } })).toMatchObject({
          name: "Renamed in the console",
          baseUrl: "https://proxy.example.com/v1",
          enabled: false,
          source: "admin",
        });
        expect((await t.db.provider.findUniqueOrThrow({ where: { slug: other } })).credentialEncrypted).toBe("v1.key.iv.tag.ciphertext");
        expect(await t.db.provider.findUnique({ where: { slug: "console-only" } })).not.toBeNull();
        const snapshot = await loadCatalogSnapshot(t.db);
        expect(snapshot.models.flatMap((m) => m.endpoints).filter((e) => e.provider.slug === slug).length).toBe(
          catalog.models.flatMap((m) => m.endpoints).filter((e) => e.provider === slug).length,
        );
        expect(snapshot.providers.find((p) => p.slug === slug)?.source).toBe("admin");
        expect(snapshot.storedCredentials?.get(snapshot.providers.find((p) => p.slug === other)!.id)).toBe("v1.key.iv.tag.ciphertext");
        await t.db.provider.deleteMany({ where: { source: "admin" } });
      });

      it("replaces one catalog with another: only the new file's rows remain", async () => {
        await syncCatalog(t.db, builtin());
        await syncCatalog(t.db, EXAMPLE);
        expect(await counts(t)).toEqual({ providers: 2, models: 1, endpoints: 1, aliases: 1 });
        const list = toZenMuxModelList(await loadCatalogSnapshot(t.db));
        expect(list.data.map((m) => m.id)).toEqual(["acme/chat-1"]);
      });

      it("exports what it synced: the export passes the schema and syncing it back changes nothing", async () => {
        const catalog = builtin();
        await syncCatalog(t.db, catalog);
        const exported = await exportCatalog(t.db);
        expect(catalogSchema.safeParse(exported).success).toBe(true);
        expect(exported.models.map((m) => m.id)).toEqual(catalog.models.map((m) => m.id));
        const again = await syncCatalog(t.db, exported);
        expect(again).toMatchObject({ created: 0, updated: 0, removed: 0 });
      });

      it("leaves console-owned models and providers alone", async () => {
        const catalog = builtin();
        await syncCatalog(t.db, catalog);
        const owned = catalog.models[0];
        await t.db.model.update({ where: { slug: owned.id }, data: { source: "admin", displayName: "Renamed in the console" } });
        await t.db.provider.update({ where: { slug: catalog.providers[0].slug }, data: { source: "admin", name: "Console name" } });
        await syncCatalog(t.db, catalog);
        expect((await t.db.model.findUniqueOrThrow({ where: { slug: owned.id } })).displayName).toBe("Renamed in the console");
        expect((await t.db.provider.findUniqueOrThrow({ where: { slug: catalog.providers[0].slug } })).name).toBe("Console name");
        // Dropping the model from the file does not remove the console's copy either.
        await syncCatalog(t.db, { ...catalog, models: catalog.models.slice(1) });
        expect(await t.db.model.count({ where: { slug: owned.id } })).toBe(1);
      });
    });
  }
});
