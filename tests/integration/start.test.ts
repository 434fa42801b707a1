/**
 * `npm start` as an operator runs it: a fresh database, the built-in catalog, the public
 * endpoints over HTTP; a second start reusing everything; a bad catalog refused.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicModelListSchema, zenMuxModelListSchema } from "@/tests/support/model-list-shapes";
import { runStartScript, startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { createTestTarget, isPostgresAvailable, POSTGRES_ADMIN_URL } from "@/tests/support/test-database";

// These cases start a server inside the test: on a loaded box a start alone has taken 26 s.
const SERVER_START_TIMEOUT_MS = 120_000;

/** /api/health's billing figures before this instance has served a call: leases on (the default), nothing held or written. */
const IDLE_BILLING = {
  mode: "leases",
  leasesHeld: 0,
  leasedUsd: "0.00",
  heldUsd: "0.00",
  queuedSettlements: 0,
  groupCommit: { batches: 0, calls: 0, writtenOn: "worker", offThreadBatches: 0 },
  perRequestFallbacks: 0,
};

describe("npm start on a fresh SQLite database", () => {
  let dir: string;
  let server: SwitchyardProcess | undefined;
  const env = () => ({ DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "db", "switchyard.db")}`, AUTH_SECRET: "", CATALOG_FILE: "" });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-start-"));
    server = await startSwitchyard(env());
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the data folder and database, migrates, and persists a generated AUTH_SECRET", () => {
    expect(server!.output()).toContain("applied 0001_init");
    expect(server!.output()).toMatch(/generated AUTH_SECRET/);
    expect(statSync(path.join(dir, "db", "switchyard.db")).isFile()).toBe(true);
    expect(statSync(path.join(dir, "auth-secret")).mode & 0o777).toBe(0o600);
  });

  it("answers /api/health with 200", async () => {
    const response = await fetch(`${server!.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      database: "ok",
      activityQueue: { queued: 0, limit: 100_000, parked: 0, dropped: 0, writtenOn: "worker", offThreadBatches: 0 },
      billing: IDLE_BILLING,
    });
  });

  it("serves the built-in catalog at /api/v1/models in ZenMux's shape, without a key", async () => {
    const response = await fetch(`${server!.url}/api/v1/models`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const body = zenMuxModelListSchema.parse(await response.json());
    expect(body.data.length).toBeGreaterThanOrEqual(25);
    expect(new Set(body.data.map((m) => m.owned_by)).size).toBeGreaterThanOrEqual(6);
    const sonnet = body.data.find((m) => m.id === "anthropic/claude-sonnet-4.5");
    expect(sonnet?.pricings.prompt.length).toBeGreaterThan(1);
    expect(sonnet?.pricings.prompt[0].conditions?.prompt_tokens?.unit).toBe("kTokens");
  });

  it("answers a matching If-None-Match with 304", async () => {
    const first = await fetch(`${server!.url}/api/v1/models`);
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    const second = await fetch(`${server!.url}/api/v1/models`, { headers: { "if-none-match": etag! } });
    expect(second.status).toBe(304);
  });

  it("serves /api/anthropic/v1/models in Anthropic's shape, with paging", async () => {
    const all = anthropicModelListSchema.parse(await (await fetch(`${server!.url}/api/anthropic/v1/models`)).json());
    expect(all.data.length).toBeGreaterThanOrEqual(25);
    const page = anthropicModelListSchema.parse(await (await fetch(`${server!.url}/api/anthropic/v1/models?limit=5`)).json());
    expect(page.data).toHaveLength(5);
    expect(page.has_more).toBe(true);
    const bad = await fetch(`${server!.url}/api/anthropic/v1/models?limit=0`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  it("serves the landing page", async () => {
    const response = await fetch(`${server!.url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Every model, every provider, behind one API key.");
    expect(html).toContain(`${server!.url}/api/v1`);
  });

  it(
    "starts again reusing the database, secret and build",
    async () => {
      await server!.stop();
      const started = Date.now();
      server = await startSwitchyard(env());
      const seconds = (Date.now() - started) / 1000;
      expect(server.output()).toContain("(up to date)");
      expect(server.output()).toMatch(/\(0 created, 0 updated, 0 removed\)/);
      expect(server.output()).not.toContain("generated AUTH_SECRET");
      expect(server.output()).not.toContain("building the console");
      console.info(`second start became healthy in ${seconds.toFixed(1)} s`);
    },
    SERVER_START_TIMEOUT_MS,
  );
});

describe("npm start refuses a bad catalog file", () => {
  it("prints each problem with its path and exits 1 without a stack trace", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-badcat-"));
    const file = path.join(dir, "catalog.json");
    writeFileSync(
      file,
      JSON.stringify({
        providers: [],
        models: [
          {
            id: "acme/x",
            name: "X",
            contextLength: 1,
            endpoints: [
              {
                provider: "nope",
                name: "e",
                upstreamModel: "x",
                pricings: { prompt: [{ value: 1, unit: "perMTokens", currency: "USD" }], completion: [{ value: 1, unit: "perMTokens", currency: "USD" }] },
              },
            ],
          },
        ],
      }),
    );
    const result = await runStartScript({ DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "db.sqlite")}`, CATALOG_FILE: file, PORT: "1" });
    rmSync(dir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the catalog file ${file} is invalid:`);
    expect(result.stderr).toContain('models[0].endpoints[0].provider: unknown provider "nope"');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe.each([
  { variable: "BILLING_LEASES", message: 'BILLING_LEASES must be on or off, not "yes"' },
  { variable: "SQLITE_WRITE_WORKER", message: 'SQLITE_WRITE_WORKER must be on or off, got "yes"' },
])("npm start refuses a $variable that is neither on nor off", ({ variable, message }) => {
  it("exits 1 naming the variable, before touching the database", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-badswitch-"));
    const result = await runStartScript({ DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "db.sqlite")}`, CATALOG_FILE: "", PORT: "1", [variable]: "yes" });
    let created = true;
    try {
      statSync(path.join(dir, "db.sqlite"));
    } catch {
      created = false;
    }
    rmSync(dir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(created).toBe(false);
  });
});

describe("npm start on PostgreSQL", async () => {
  const available = await isPostgresAvailable();
  it.runIf(available)(
    "migrates a fresh database, serves the lists, and reports 503 when the database goes away",
    async () => {
      const { target, dropTarget } = await createTestTarget("postgres");
      const dir = mkdtempSync(path.join(os.tmpdir(), "switchyard-pg-"));
      const server = await startSwitchyard({ DATA_DIR: dir, DATABASE_URL: target.url, CATALOG_FILE: "" });
      try {
        const models = zenMuxModelListSchema.parse(await (await fetch(`${server.url}/api/v1/models`)).json());
        expect(models.data.length).toBeGreaterThanOrEqual(25);
        expect((await fetch(`${server.url}/api/health`)).status).toBe(200);

        const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
        await admin.connect();
        await admin.query(`DROP DATABASE "${new URL(target.url).pathname.slice(1)}" WITH (FORCE)`);
        await admin.end();
        const health = await fetch(`${server.url}/api/health`);
        expect(health.status).toBe(503);
        expect(await health.json()).toEqual({
          status: "unavailable",
          database: "unreachable",
          activityQueue: { queued: 0, limit: 100_000, parked: 0, dropped: 0, writtenOn: "main", offThreadBatches: 0 },
          billing: { ...IDLE_BILLING, groupCommit: { ...IDLE_BILLING.groupCommit, writtenOn: "main" } },
        });
      } finally {
        await server.stop();
        await dropTarget();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SERVER_START_TIMEOUT_MS,
  );
});
