/**
 * The models admin over HTTP, on SQLite and PostgreSQL, with CATALOG_FILE set (edits are
 * written back to the file): bad input refused on the field with nothing saved, a new
 * model callable at once, a price change billed on the next call (on this instance and,
 * through the change feed, on a second one), enable/disable, export → import round
 * trip, and members refused on every admin API. A second part runs without CATALOG_FILE:
 * console rows survive a restart's sync.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import type { CatalogFile, CatalogModel } from "@/lib/catalog/catalog-schema";
import { parseCatalogText } from "@/lib/catalog/load-catalog";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startFakeUpstream } from "@/fake-upstream/server";
import { ConsoleClient } from "@/tests/support/console-client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { startSwitchyard } from "@/tests/support/switchyard-process";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

const PASSWORD = "long enough password";
const usd = (value: number) => [{ value, unit: "perMTokens", currency: "USD" }];
/** $0 per token and a fixed price per request: the charge is exactly the request price. */
const flat = (perRequest: number) => ({ prompt: usd(0), completion: usd(0), request: [{ value: perRequest, unit: "perCount", currency: "USD" }] });

function newModel(id: string, extra: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id,
    name: `Admin ${id}`,
    contextLength: 16000,
    aliases: [`${id.split("/")[1]}-alias`],
    endpoints: [
      { provider: "fast", name: `${id.split("/")[1]}_fast`, upstreamModel: "upstream-admin", pricings: flat(0.01) as CatalogModel["endpoints"][0]["pricings"] },
    ],
    ...extra,
  };
}

const chat = (url: string, key: string, model: string) =>
  fetch(`${url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "Hi" }], max_tokens: 5 }),
  });

/** The cost the gateway reports for a successful call. */
async function costOf(response: Response): Promise<number> {
  const body = await response.json();
  if (response.status !== 200) throw new Error(`chat answered ${response.status}: ${JSON.stringify(body)}`);
  return body.usage.cost;
}

const ADMIN_APIS: { path: string; method: string; json?: unknown }[] = [
  { path: "/api/console/admin/models", method: "GET" },
  { path: "/api/console/admin/models", method: "POST", json: newModel("admin/nope") },
  { path: "/api/console/admin/models/x", method: "GET" },
  { path: "/api/console/admin/models/x", method: "PUT", json: newModel("admin/nope") },
  { path: "/api/console/admin/models/x", method: "PATCH", json: { enabled: false } },
  { path: "/api/console/admin/catalog", method: "GET" },
  { path: "/api/console/admin/catalog", method: "POST", json: { providers: [], models: [] } },
];

describe("models admin with CATALOG_FILE", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let gw: GatewayFixture;
      let db: Db;
      let dropTarget: (() => Promise<void>) | undefined;
      const admin = () => new ConsoleClient(gw.url);
      let owner: ConsoleClient;
      let member: ConsoleClient;

      beforeAll(async () => {
        const target = kind === "postgres" ? await createTestTarget("postgres") : null;
        dropTarget = target?.dropTarget;
        gw = await startGatewayFixture({}, target ? { database: target.target } : {});
        db = createDb(gw.dbTarget);
        await createUser(db, { email: "member@example.com", password: PASSWORD });
        owner = admin();
        expect(await owner.signIn("dev@example.com", PASSWORD)).toBeNull();
        member = admin();
        expect(await member.signIn("member@example.com", PASSWORD)).toBeNull();
      });
      afterAll(async () => {
        await db?.$disconnect();
        await gw?.stop();
        await dropTarget?.();
      });

      const counts = async () => ({
        models: await db.model.count(),
        endpoints: await db.endpoint.count(),
        aliases: await db.modelAlias.count(),
        audit: await db.auditEvent.count(),
        file: readFileSync(gw.catalogFile, "utf8"),
      });

      it("answers 403 to a member on every admin API and admin page", async () => {
        for (const api of ADMIN_APIS) {
          const response = await member.fetch(api.path, { method: api.method, json: api.json });
          expect(response.status, `${api.method} ${api.path}`).toBe(403);
        }
        expect((await member.fetch("/admin/models")).status).toBe(403);
        expect((await member.fetch("/admin/models/new")).status).toBe(403);
      });

      it("refuses bad input with a message on the field, and saves nothing", async () => {
        const before = await counts();
        const tiered = (second: Record<string, unknown>) => ({
          ...flat(0.01),
          prompt: [
            { value: 1, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lt: 128 } } },
            { value: 2, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", ...second } } },
          ],
        });
        const endpoint = newModel("admin/bad").endpoints[0];
        const cases: [string, unknown, Record<string, string | RegExp>][] = [
          [
            "negative price",
            newModel("admin/bad", { endpoints: [{ ...endpoint, pricings: { ...flat(0.01), prompt: usd(-1) } as never }] }),
            { "endpoints.0.pricings.prompt.0.value": "a price cannot be negative" },
          ],
          [
            "overlapping tiers",
            newModel("admin/bad", { endpoints: [{ ...endpoint, pricings: tiered({ gte: 100 }) as never }] }),
            { "endpoints.0.pricings.prompt": "tiers overlap" },
          ],
          [
            "a gap between tiers",
            newModel("admin/bad", { endpoints: [{ ...endpoint, pricings: tiered({ gte: 200 }) as never }] }),
            { "endpoints.0.pricings.prompt": "tiers leave a gap" },
          ],
          [
            "a missing provider",
            newModel("admin/bad", { endpoints: [{ ...endpoint, provider: "nowhere" }] }),
            { "endpoints.0.provider": 'unknown provider "nowhere"' },
          ],
          ["a duplicate id", newModel("test/chat"), { id: 'duplicate model "test/chat"' }],
          ["a duplicate alias", newModel("admin/bad", { aliases: ["chat-alias"] }), { "aliases.0": 'alias "chat-alias" already belongs to test/chat' }],
          [
            "a duplicate endpoint",
            newModel("admin/bad", { endpoints: [{ ...endpoint, name: "chat_0" }] }),
            { "endpoints.0.name": 'duplicate endpoint "fast/chat_0"' },
          ],
          ["text where a number goes", { ...newModel("admin/bad"), contextLength: "lots" }, { contextLength: /expected number/ }],
        ];
        for (const [label, body, fields] of cases) {
          const response = await owner.fetch("/api/console/admin/models", { json: body });
          expect(response.status, label).toBe(400);
          const error = (await response.json()).error;
          for (const [field, message] of Object.entries(fields))
            expect(error.fields[field], `${label}: ${field} in ${JSON.stringify(error.fields)}`).toMatch(message);
        }
        expect(await counts()).toEqual(before);
      });

      it("serves a new model right after it is created, and writes it back to the catalog file", async () => {
        const created = await owner.fetch("/api/console/admin/models", { json: newModel("admin/fresh") });
        expect(created.status).toBe(201);
        const { data } = await created.json();
        expect(data).toMatchObject({ source: "catalog", model: { id: "admin/fresh", aliases: ["fresh-alias"] } });
        expect(await costOf(await chat(gw.url, gw.key, "admin/fresh"))).toBe(0.01);
        expect(await costOf(await chat(gw.url, gw.key, "fresh-alias"))).toBe(0.01);

        const file = parseCatalogText(readFileSync(gw.catalogFile, "utf8"), gw.catalogFile);
        expect(file.ok).toBe(true);
        expect(file.ok && file.catalog.models.find((m) => m.id === "admin/fresh")).toMatchObject({ name: "Admin admin/fresh" });
        const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "model.create", targetLabel: "admin/fresh" } });
        expect(audit.actorEmail).toBe("dev@example.com");
        expect(JSON.parse(audit.after!)).toMatchObject({ id: "admin/fresh" });
      });

      it("bills the next call at a changed price, and records before and after", async () => {
        const created = await (await owner.fetch("/api/console/admin/models", { json: newModel("admin/priced") })).json();
        const id = created.data.id as string;
        expect(await costOf(await chat(gw.url, gw.key, "admin/priced"))).toBe(0.01);

        const changed = newModel("admin/priced");
        changed.endpoints[0].pricings = flat(0.02) as never;
        const saved = await owner.fetch(`/api/console/admin/models/${id}`, { method: "PUT", json: changed });
        expect(saved.status).toBe(200);
        expect((await saved.json()).changes).toEqual(["endpoints[0].pricings.request[0].value"]);

        const response = await chat(gw.url, gw.key, "admin/priced");
        const requestId = response.headers.get("x-request-id");
        expect(await costOf(response)).toBe(0.02);
        const charge = await db.ledgerEntry.findFirstOrThrow({ where: { kind: "charge", generationId: requestId } });
        expect(charge.amountNanoUsd).toBe(-20_000_000n);

        const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "model.update", targetId: id } });
        expect(JSON.parse(audit.before!).endpoints[0].pricings.request[0].value).toBe(0.01);
        expect(JSON.parse(audit.after!).endpoints[0].pricings.request[0].value).toBe(0.02);
      });

      it("disables and re-enables a model", async () => {
        const created = await (await owner.fetch("/api/console/admin/models", { json: newModel("admin/toggle") })).json();
        const id = created.data.id as string;
        expect((await owner.fetch(`/api/console/admin/models/${id}`, { method: "PATCH", json: { enabled: false } })).status).toBe(200);
        const refused = await chat(gw.url, gw.key, "admin/toggle");
        expect(refused.status).toBe(404);
        expect((await owner.fetch(`/api/console/admin/models/${id}`, { method: "PATCH", json: { enabled: true } })).status).toBe(200);
        expect(await costOf(await chat(gw.url, gw.key, "admin/toggle"))).toBe(0.01);
        expect(await db.auditEvent.count({ where: { targetId: id, action: { in: ["model.disable", "model.enable"] } } })).toBe(2);
      });

      it("exports a catalog the file loader accepts, and imports it back (changed) in one go", async () => {
        const exported = await owner.fetch("/api/console/admin/catalog");
        expect(exported.status).toBe(200);
        expect(exported.headers.get("content-disposition")).toMatch(/attachment; filename="switchyard-catalog-\d{4}-\d{2}-\d{2}\.json"/);
        const text = await exported.text();
        const loaded = parseCatalogText(text, "export");
        expect(loaded.ok).toBe(true);
        const catalog = JSON.parse(text) as CatalogFile;
        expect(catalog.models.map((m) => m.id)).toEqual(expect.arrayContaining(["test/chat", "admin/fresh"]));

        const before = await counts();
        const broken = structuredClone(catalog);
        broken.models[3].endpoints[0].provider = "x";
        const refused = await owner.fetch("/api/console/admin/catalog", { json: broken });
        expect(refused.status).toBe(400);
        expect((await refused.json()).error.fields).toEqual({ "models[3].endpoints[0].provider": 'unknown provider "x"' });
        expect(await counts()).toEqual(before);

        // A provider URL an upload adds is an admin-entered URL: the private-address policy applies.
        const metadata = structuredClone(catalog);
        metadata.providers.push({ slug: "sneaky", name: "Sneaky", adapter: "openai", baseUrl: "http://169.254.169.254/latest" } as CatalogFile["providers"][0]);
        const ssrf = await owner.fetch("/api/console/admin/catalog", { json: metadata });
        expect(ssrf.status).toBe(400);
        expect(Object.entries((await ssrf.json()).error.fields)).toEqual([
          [`providers[${metadata.providers.length - 1}].baseUrl`, expect.stringMatching(/169\.254\.169\.254/)],
        ]);
        expect(await counts()).toEqual(before);
        expect(await db.provider.count({ where: { slug: "sneaky" } })).toBe(0);

        const changed = structuredClone(catalog);
        const fresh = changed.models.find((m) => m.id === "admin/fresh")!;
        fresh.endpoints[0].pricings = flat(0.03) as never;
        changed.models = changed.models.filter((m) => m.id !== "admin/toggle");
        const imported = await owner.fetch("/api/console/admin/catalog", { json: changed });
        expect(imported.status).toBe(200);
        expect((await imported.json()).data).toMatchObject({ created: [], updated: ["admin/fresh"], missing: ["admin/toggle"] });
        expect(await costOf(await chat(gw.url, gw.key, "admin/fresh"))).toBe(0.03);
        expect((await chat(gw.url, gw.key, "admin/toggle")).status).toBe(404);

        const again = parseCatalogText(await (await owner.fetch("/api/console/admin/catalog")).text(), "export");
        expect(again.ok && again.catalog.models).toEqual(changed.models);
        expect(await db.auditEvent.count({ where: { action: "catalog.import" } })).toBe(1);
      });

      it("applies a price change on another instance of the same database through the change feed", async () => {
        const second = await startSwitchyard({
          DATA_DIR: `${gw.catalogFile}.d`,
          DATABASE_URL: gw.dbTarget.url,
          CATALOG_FILE: gw.catalogFile,
          FAKE_UPSTREAM_API_KEY: "fake-upstream-secret-credential",
        });
        try {
          const created = await (await owner.fetch("/api/console/admin/models", { json: newModel("admin/shared") })).json();
          // Warm the other instance's snapshot (and its change feed) with the old price.
          expect(await costOf(await chat(second.url, gw.key, "admin/shared"))).toBe(0.01);
          const changed = newModel("admin/shared");
          changed.endpoints[0].pricings = flat(0.05) as never;
          expect((await owner.fetch(`/api/console/admin/models/${created.data.id}`, { method: "PUT", json: changed })).status).toBe(200);
          const changedAt = Date.now();
          let cost = 0.01;
          while (cost !== 0.05 && Date.now() - changedAt < 5_000) cost = await costOf(await chat(second.url, gw.key, "admin/shared"));
          expect(cost).toBe(0.05);
        } finally {
          await second.stop();
        }
      }, 90_000);
    });
  }
});

describe("models admin on the built-in catalog (no CATALOG_FILE)", () => {
  let fake: GatewayFixture["fake"];
  let server: Awaited<ReturnType<typeof startSwitchyard>>;
  let target: Awaited<ReturnType<typeof createTestTarget>>;
  let db: Db;
  let owner: ConsoleClient;
  let key: string;
  // The console provider below lives on loopback (the fake upstream): allowed only with the flag.
  const env = () => ({
    DATA_DIR: `${target.target.kind === "sqlite" ? target.target.filePath : ""}.d`,
    DATABASE_URL: target.target.url,
    CATALOG_FILE: "",
    CONSOLE_PROVIDER_API_KEY: "fake-upstream-secret-credential",
    ALLOW_PRIVATE_UPSTREAMS: "true",
  });

  beforeAll(async () => {
    fake = await startFakeUpstream({ defaults: { outputTokens: 6 } });
    target = await createTestTarget("sqlite");
    server = await startSwitchyard(env());
    db = createDb(target.target);
    const user = await createUser(db, { email: "owner@example.com", password: PASSWORD });
    ({ key } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "t" }), new Set()));
    // A provider added in the console (the providers page's job) on the fake upstream.
    await db.provider.create({
      data: {
        slug: "console-fast",
        name: "Console fast",
        adapter: "openai",
        baseUrl: `${fake.url}/p/console-fast/v1`,
        apiKeyEnv: "CONSOLE_PROVIDER_API_KEY",
        source: "admin",
      },
    });
    owner = new ConsoleClient(server.url);
    expect(await owner.signIn("owner@example.com", PASSWORD)).toBeNull();
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
    await fake?.close();
    await target?.dropTarget();
  });

  it("keeps console models and taken-over built-in models through a restart's sync", async () => {
    const model = newModel("console/own", { endpoints: [{ ...newModel("console/own").endpoints[0], provider: "console-fast" }] });
    const created = await owner.fetch("/api/console/admin/models", { json: model });
    expect(created.status).toBe(201);
    expect((await created.json()).data.source).toBe("admin");
    expect(await costOf(await chat(server.url, key, "console/own"))).toBe(0.01);

    const list = (await (await owner.fetch("/api/console/admin/models")).json()) as {
      data: { id: string; source: string; model: CatalogModel }[];
      mode: string;
    };
    expect(list.mode).toBe("database");
    const builtin = list.data.find((row) => row.source === "catalog")!;
    const renamed = { ...builtin.model, name: "Renamed by the admin" };
    expect((await owner.fetch(`/api/console/admin/models/${builtin.id}`, { method: "PUT", json: renamed })).status).toBe(200);

    await server.stop();
    server = await startSwitchyard(env());
    const after = await db.model.findMany({
      where: { slug: { in: ["console/own", builtin.model.id] } },
      select: { slug: true, displayName: true, source: true },
    });
    expect(after).toEqual(
      expect.arrayContaining([
        { slug: "console/own", displayName: "Admin console/own", source: "admin" },
        { slug: builtin.model.id, displayName: "Renamed by the admin", source: "admin" },
      ]),
    );
  }, 120_000);
});
