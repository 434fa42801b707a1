/**
 * Admin → Providers over HTTP against the real server: create, edit, disable with bad
 * input refused field by field; the base URL policy with ALLOW_PRIVATE_UPSTREAMS off
 * (save time, and connection time for a provider whose address turned private); request
 * bodies that try to redirect traffic; "Test credential" against the fake upstream;
 * audit rows; and a canary credential that must appear in no response, page, log line,
 * audit row or database file.
 */
import { randomBytes } from "node:crypto";
import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAuditEvent } from "@/lib/audit/audit-log";
import { blockedAddressReason } from "@/lib/provider-config/url-policy";
import { createDb, type Db } from "@/lib/db/client";
import { ConsoleClient } from "@/tests/support/console-client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";
import { poll } from "@/tests/support/poll";

const ADMIN = { email: "dev@example.com", password: "long enough password" };

const eventually = <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> => poll(read, done, { timeoutMs, intervalMs: 50 });

/** A model with one endpoint on `providerId`, written straight to the database (the models admin is another page). */
async function addModel(db: Db, providerId: string, slug: string) {
  const model = await db.model.create({
    data: {
      slug,
      vendor: slug.split("/")[0],
      displayName: slug,
      inputModalities: '["text"]',
      outputModalities: '["text"]',
      capabilities: '{"tools":false,"vision":false,"reasoning":false,"json":false}',
      contextLength: 8000,
      source: "admin",
    },
  });
  await db.endpoint.create({
    data: {
      modelId: model.id,
      providerId,
      name: `${slug.replace("/", "_")}_ep`,
      upstreamModel: "fake-model",
      pricings: JSON.stringify({
        prompt: [{ value: 1, unit: "perMTokens", currency: "USD" }],
        completion: [{ value: 2, unit: "perMTokens", currency: "USD" }],
      }),
    },
  });
}

const listed = async (gw: GatewayFixture) => ((await (await fetch(`${gw.url}/api/v1/models`)).json()) as { data: { id: string }[] }).data.map((m) => m.id);

describe("providers admin with private upstreams refused (the default)", () => {
  let gw: GatewayFixture;
  let db: Db;
  let admin: ConsoleClient;
  let attacker: Server;
  let attackerHits = 0;
  beforeAll(async () => {
    gw = await startGatewayFixture();
    db = createDb(gw.dbTarget);
    admin = new ConsoleClient(gw.url);
    expect(await admin.signIn(ADMIN.email, ADMIN.password)).toBeNull();
    attacker = createServer((_request, response) => {
      attackerHits += 1;
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  }, 90_000);
  afterAll(async () => {
    await new Promise((resolve) => attacker?.close(resolve));
    await db?.$disconnect();
    await gw?.stop();
  });

  const create = (body: unknown) => admin.fetch("/api/console/admin/providers", { json: body });
  const valid = { slug: "acme", name: "Acme", adapter: "openai", baseUrl: "https://93.184.216.34/v1", credential: "sk-acme-0123456789abcdef" };

  it("refuses a host name that resolves to a private address (this machine's own name) when saving", async () => {
    // The name is not on any list: only resolving it shows where it points.
    const name = hostname().toLowerCase();
    const addresses = (await lookup(name, { all: true })).map((a) => a.address);
    expect(
      addresses.map(blockedAddressReason).every(Boolean),
      `${name} resolves to ${addresses.join(", ")}: not a private address, so this test proves nothing here`,
    ).toBe(true);
    const response = await create({ ...valid, slug: "own-name", baseUrl: `http://${name}:8000/v1` });
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields.baseUrl).toMatch(new RegExp(`${name} resolves to `));
    expect(await db.provider.findUnique({ where: { slug: "own-name" } })).toBeNull();
  });

  it("refuses bad input field by field and saves nothing", async () => {
    const before = { providers: await db.provider.count(), audit: await db.auditEvent.count() };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...valid, baseUrl: "not a url" }, "baseUrl", /full URL/],
      [{ ...valid, baseUrl: "ftp://93.184.216.34/v1" }, "baseUrl", /http:\/\/ or https:\/\//],
      [{ ...valid, baseUrl: "https://user:pw@93.184.216.34/v1" }, "baseUrl", /credential field/],
      [{ ...valid, slug: "Bad Slug" }, "slug", /lowercase/],
      [{ ...valid, slug: "fast" }, "slug", /already exists/],
      [{ ...valid, name: "" }, "name", /Enter a name/],
      [{ ...valid, adapter: "azure" }, "adapter", /Choose an adapter/],
      [{ ...valid, credential: "sk-with space" }, "credential", /spaces/],
      [{ ...valid, baseUrl: "http://intranet.invalid/v1" }, "baseUrl", /could not be resolved/],
    ];
    for (const [body, field, message] of cases) {
      const response = await create(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).error.fields[field]).toMatch(message);
    }
    expect({ providers: await db.provider.count(), audit: await db.auditEvent.count() }).toEqual(before);
  });

  it.each([
    ["http://127.0.0.1:8000/v1", /loopback/],
    ["http://169.254.169.254/latest", /cloud metadata/],
    ["http://[::1]:8000/v1", /loopback/],
    ["http://10.1.2.3/v1", /private address/],
    ["http://[::ffff:127.0.0.1]/v1", /loopback/],
    ["http://localhost:11434/v1", /loopback/],
    ["http://metadata.google.internal/v1", /cloud metadata/],
  ])("refuses the SSRF target %s when creating and when editing", async (baseUrl, message) => {
    const response = await create({ ...valid, slug: "ssrf", baseUrl });
    expect(response.status).toBe(400);
    expect((await response.json()).error.fields.baseUrl).toMatch(message);
    expect(await db.provider.findUnique({ where: { slug: "ssrf" } })).toBeNull();
    const fast = await db.provider.findUniqueOrThrow({ where: { slug: "fast" } });
    const edit = await admin.fetch(`/api/console/admin/providers/${fast.id}`, { method: "PATCH", json: { baseUrl } });
    expect(edit.status).toBe(400);
    expect((await db.provider.findUniqueOrThrow({ where: { slug: "fast" } })).baseUrl).toBe(fast.baseUrl);
  });

  it("refuses at connection time a console provider whose address is private now (DNS rebinding), without contacting it", async () => {
    // As if the name had resolved to a public address when it was saved.
    const provider = await db.provider.create({
      data: {
        slug: "rebound",
        name: "Rebound",
        adapter: "openai",
        baseUrl: `http://localhost:${(attacker.address() as AddressInfo).port}/v1`,
        source: "admin",
        enabled: true,
      },
    });
    const saved = await admin.fetch(`/api/console/admin/providers/${provider.id}`, { method: "PATCH", json: { credential: "sk-rebound-0123456789abcdef" } });
    expect(saved.status).toBe(200);
    await addModel(db, provider.id, "rebound/chat");
    expect(
      await eventually(
        () => listed(gw),
        (ids) => ids.includes("rebound/chat"),
      ),
    ).toContain("rebound/chat");

    const test = await admin.fetch(`/api/console/admin/providers/${provider.id}/test`, { json: {} });
    expect((await test.json()).data).toMatchObject({
      ok: false,
      status: null,
      message: expect.stringMatching(/refused to connect to localhost: it resolves to .*loopback/),
    });
    const call = await fetch(`${gw.url}/api/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "rebound/chat", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(call.status).toBe(502);
    expect(attackerHits).toBe(0);
  });

  it("never lets a request body change where traffic goes or which credential is used", async () => {
    const elsewhere = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/v1`;
    const bodies = [
      { base_url: elsewhere, baseURL: elsewhere, api_base: elsewhere, url: elsewhere, endpoint: elsewhere },
      { api_key: "sk-attacker-0000000000", apiKey: "sk-attacker-0000000000", credential: "sk-attacker-0000000000" },
      { extra_headers: { authorization: "Bearer sk-attacker-0000000000", host: "127.0.0.1" }, headers: { "x-api-key": "sk-attacker-0000000000" } },
      { provider: { base_url: elsewhere, url: elsewhere, api_key: "sk-attacker-0000000000", order: ["fast"] } },
      { provider: { routing: { type: "order", providers: ["fast"] } }, providers: [{ slug: "evil", baseUrl: elsewhere, adapter: "openai" }] },
    ];
    let served = 0;
    for (const extra of bodies) {
      const before = gw.fake.stats().lastRequests.length;
      const response = await fetch(`${gw.url}/api/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json", "x-api-key": "sk-attacker-0000000000" },
        body: JSON.stringify({ model: "test/chat", messages: [{ role: "user", content: "hi" }], ...extra }),
      });
      const text = await response.text();
      expect([200, 400], text).toContain(response.status);
      if (response.status === 200) {
        served += 1;
        const sent = gw.fake.stats().lastRequests.slice(before).at(-1)!;
        expect(["fast", "slow"]).toContain(sent.provider);
        // Our credential (…ntial), never the client's.
        expect(sent.headers.authorization).toBe("***tial");
      }
    }
    expect(served).toBeGreaterThanOrEqual(3);
    expect(attackerHits).toBe(0);
  });

  it("answers 403 to a member on the admin pages and APIs", async () => {
    const member = new ConsoleClient(gw.url);
    expect((await member.signUp("member@example.com", "long enough password")).status).toBe(201);
    expect(await member.signIn("member@example.com", "long enough password")).toBeNull();
    for (const path of ["/admin/providers", "/admin/audit", "/api/console/admin/providers", "/api/console/admin/audit"])
      expect((await member.fetch(path)).status, path).toBe(403);
    expect((await member.fetch("/api/console/admin/providers", { json: valid })).status).toBe(403);
    expect(await db.provider.findUnique({ where: { slug: "acme" } })).toBeNull();
  });

  it("pages the audit log newest first with a keyset cursor and filters it by target type", async () => {
    for (let i = 0; i < 55; i++)
      await recordAuditEvent(db, { actor: { id: "x", email: "cli@example.com" }, action: "user.update", targetType: "user", targetLabel: `u${i}` });
    const first = await (await admin.fetch("/api/console/admin/audit?targetType=user")).json();
    expect(first.data).toHaveLength(50);
    expect(first.targetTypes).toEqual(expect.arrayContaining(["provider", "user"]));
    const second = await (await admin.fetch(`/api/console/admin/audit?targetType=user&cursor=${encodeURIComponent(first.nextCursor)}`)).json();
    expect(second.nextCursor).toBeNull();
    const labels = [...first.data, ...second.data].map((e: { targetLabel: string }) => e.targetLabel);
    expect(new Set(labels).size).toBe(55);
    expect([...first.data, ...second.data].every((e: { targetType: string }) => e.targetType === "user")).toBe(true);
    const providers = await (await admin.fetch("/api/console/admin/audit?targetType=provider")).json();
    expect(providers.data.map((e: { action: string }) => e.action)).toContain("provider.credential.update");
  });
});

describe("providers admin with ALLOW_PRIVATE_UPSTREAMS=true", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let gw: GatewayFixture;
      let db: Db;
      let admin: ConsoleClient;
      let dropTarget: (() => Promise<void>) | undefined;
      const canary = `CANARY${randomBytes(8).toString("hex")}`;
      const credential = `sk-live-${canary}-tail9876`;
      const bodies: string[] = [];
      const call = async (path: string, init: Parameters<ConsoleClient["fetch"]>[1] = {}) => {
        const response = await admin.fetch(path, init);
        const text = await response.text();
        bodies.push(text);
        return { status: response.status, json: () => JSON.parse(text) };
      };
      beforeAll(async () => {
        const target = kind === "postgres" ? await createTestTarget("postgres") : null;
        dropTarget = target?.dropTarget;
        gw = await startGatewayFixture({ ALLOW_PRIVATE_UPSTREAMS: "true" }, target ? { database: target.target } : {});
        db = createDb(gw.dbTarget);
        admin = new ConsoleClient(gw.url);
        expect(await admin.signIn(ADMIN.email, ADMIN.password)).toBeNull();
      }, 90_000);
      afterAll(async () => {
        await db?.$disconnect();
        await gw?.stop();
        await dropTarget?.();
      });

      it("creates a provider on the fake upstream, tests its credential, routes a call through it, then fails a wrong key and disables it, auditing each step", async () => {
        gw.fake.setKnobs("adm", { requireKey: credential });
        const created = await call("/api/console/admin/providers", {
          json: { slug: "adm", name: "Admin fake", adapter: "openai", baseUrl: `${gw.fake.url}/p/adm/v1`, credential },
        });
        expect(created.status).toBe(201);
        const provider = created.json().data;
        expect(provider).toMatchObject({
          slug: "adm",
          source: "admin",
          enabled: true,
          credential: { effective: "stored", stored: true, storedHint: "sk-…9876", envVar: null },
        });
        expect((await db.provider.findUniqueOrThrow({ where: { slug: "adm" } })).credentialEncrypted).toMatch(/^v1\./);

        const noModel = await call(`/api/console/admin/providers/${provider.id}/test`, { json: {} });
        expect(noModel.status).toBe(400);
        expect(noModel.json().error.fields.model).toMatch(/no endpoints yet/);
        const before = gw.fake.stats().byProvider.adm?.chat ?? 0;
        const ok = await call(`/api/console/admin/providers/${provider.id}/test`, { json: { model: "fake-model" } });
        expect(ok.json().data).toMatchObject({ ok: true, status: 200, message: null, model: "fake-model", credentialSource: "stored" });
        const sent = gw.fake.stats().lastRequests.at(-1)!;
        expect(sent).toMatchObject({ provider: "adm", path: "/v1/chat/completions", stream: false, body: { max_tokens: 1, model: "fake-model" } });
        expect(gw.fake.stats().byProvider.adm.chat).toBe(before + 1);

        // Through the gateway, within a second of the change.
        await addModel(db, provider.id, "adm/chat");
        expect(
          await eventually(
            () => listed(gw),
            (ids) => ids.includes("adm/chat"),
          ),
        ).toContain("adm/chat");
        const routed = await fetch(`${gw.url}/api/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "adm/chat", messages: [{ role: "user", content: "hi" }] }),
        });
        bodies.push(await routed.clone().text());
        expect(routed.status).toBe(200);
        expect(routed.headers.get("x-switchyard-provider")).toBe("adm");

        const wrong = await call(`/api/console/admin/providers/${provider.id}`, { method: "PATCH", json: { credential: "sk-wrong-key-000000000000" } });
        expect(wrong.json().data.credential.storedHint).toBe("sk-…0000");
        const failed = await call(`/api/console/admin/providers/${provider.id}/test`, { json: {} });
        expect(failed.json().data).toMatchObject({ ok: false, status: 401, model: "fake-model", message: expect.stringMatching(/Incorrect API key/) });

        // An upstream that echoes the credential in its error: redacted before it reaches the page.
        await call(`/api/console/admin/providers/${provider.id}`, { method: "PATCH", json: { credential } });
        gw.fake.setKnobs("adm", { requireKey: credential, failStatus: 401, failMessage: `invalid key ${credential}` });
        const leaky = await call(`/api/console/admin/providers/${provider.id}/test`, { json: {} });
        expect(leaky.json().data).toMatchObject({ ok: false, status: 401, message: expect.stringContaining("[redacted]") });
        gw.fake.setKnobs("adm", { requireKey: credential, failStatus: null, failMessage: null });

        const disabled = await call(`/api/console/admin/providers/${provider.id}`, { method: "PATCH", json: { enabled: false } });
        expect(disabled.json().data.enabled).toBe(false);
        expect(
          await eventually(
            () => listed(gw),
            (ids) => !ids.includes("adm/chat"),
          ),
        ).not.toContain("adm/chat");

        const events = await db.auditEvent.findMany({ where: { targetType: "provider", targetLabel: "adm" }, orderBy: { createdAt: "asc" } });
        expect(events.map((e) => e.action)).toEqual([
          "provider.create",
          "provider.credential.test",
          "provider.credential.update",
          "provider.credential.test",
          "provider.credential.update",
          "provider.credential.test",
          "provider.disable",
        ]);
        expect(events.every((e) => e.actorEmail === ADMIN.email)).toBe(true);
        expect(JSON.parse(events[0].after!)).toMatchObject({ slug: "adm", credential: "sk-…9876", source: "admin" });
        expect(JSON.parse(events[1].after!)).toMatchObject({ ok: true, status: 200, model: "fake-model", usedFrom: "stored" });
        expect(JSON.parse(events.at(-1)!.before!)).toMatchObject({ enabled: true });
        expect(JSON.parse(events.at(-1)!.after!)).toMatchObject({ enabled: false });
      });

      it("uses the environment variable over a stored credential for a catalog provider, and says so", async () => {
        const fast = await db.provider.findUniqueOrThrow({ where: { slug: "fast" } });
        gw.fake.setKnobs("fast", { requireKey: "fake-upstream-secret-credential" });
        try {
          const stored = await call(`/api/console/admin/providers/${fast.id}`, { method: "PATCH", json: { credential: "sk-stored-but-unused-0000" } });
          expect(stored.json().data).toMatchObject({
            source: "catalog",
            credential: { effective: "environment", envVar: "FAKE_UPSTREAM_API_KEY", envSet: true, stored: true },
          });
          const test = await call(`/api/console/admin/providers/${fast.id}/test`, { json: {} });
          expect(test.json().data).toMatchObject({ ok: true, credentialSource: "environment" });
          const page = await admin.fetch("/admin/providers");
          const html = await page.text();
          bodies.push(html);
          expect(html).toContain("FAKE_UPSTREAM_API_KEY");
          expect(html).toMatch(/overrides the stored one/);
        } finally {
          gw.fake.clearKnobs("fast");
        }
      });

      it("audits credit grants, code batches and the health probe setting", async () => {
        expect((await call("/api/console/admin/credits", { json: { email: ADMIN.email, usd: "3", reason: "audit test" } })).status).toBe(200);
        expect((await call("/api/console/admin/codes", { json: { valueUsd: "2", count: 2 } })).status).toBe(201);
        expect((await call("/api/console/admin/health-probes", { method: "PUT", json: { enabled: false, intervalMinutes: 60 } })).status).toBe(200);
        const actions = (await call("/api/console/admin/audit")).json().data.map((e: { action: string }) => e.action);
        expect(actions.slice(0, 3)).toEqual(["setting.update", "code_batch.create", "credit.top_up"]);
      });

      it("lets the canary credential appear nowhere: responses, pages, server output, audit rows, the database", async () => {
        for (const path of [
          "/admin/providers",
          "/admin/audit",
          "/api/console/admin/providers",
          "/api/console/admin/audit",
          "/api/console/admin/audit?targetType=provider",
        ]) {
          const response = await admin.fetch(path);
          expect(response.status, path).toBe(200);
          bodies.push(await response.text());
        }
        expect(bodies.length).toBeGreaterThan(15);
        for (const body of bodies) expect(body).not.toContain(canary);
        expect(gw.server.output()).not.toContain(canary);
        const audit = await db.auditEvent.findMany();
        expect(audit.length).toBeGreaterThan(5);
        expect(JSON.stringify(audit)).not.toContain(canary);
        const stored = await db.provider.findUniqueOrThrow({ where: { slug: "adm" } });
        expect(stored.credentialEncrypted).not.toContain(canary);
        if (gw.dbTarget.kind === "sqlite") {
          // The database file and its write-ahead log, if any.
          for (const file of [gw.dbTarget.filePath!, `${gw.dbTarget.filePath}-wal`].filter((f) => existsSync(f)))
            expect(readFileSync(file).includes(Buffer.from(canary)), file).toBe(false);
        }
      });
    });
  }
});
