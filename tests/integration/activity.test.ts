/**
 * The activity API over real HTTP, after real calls through the gateway and the fake
 * upstream, on SQLite and PostgreSQL: rows with the serving provider and cost, filters,
 * `q`, the failover chain in the detail, keyset pages, the streamed CSV, who may see
 * what, and opt-in content storage (nothing of a call's content is stored when off).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { credit } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { ConsoleClient } from "@/tests/support/console-client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";
import { poll } from "@/tests/support/poll";

const PASSWORD = "long enough password";

type Row = {
  id: string;
  model: string;
  provider: string | null;
  costUsd: string;
  status: string;
  account: string;
  apiKey: { id: string; name: string } | null;
  attempts: number;
  tokens: { prompt: number; completion: number };
};
type Page = { data: Row[]; nextCursor: string | null };

async function member(db: Db, gw: GatewayFixture, email: string) {
  const user = await createUser(db, { email, password: PASSWORD });
  await credit(db, { userId: user.id, kind: "top_up", amountNanoUsd: 10_000_000_000n, idempotencyKey: `activity-top-up:${user.id}` });
  const models = new Set(["test/flat", "test/chat", "test/priced", "test/any"]);
  const first = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "first key" }), models);
  const second = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "second key" }), models);
  const client = new ConsoleClient(gw.url);
  expect(await client.signIn(email, PASSWORD)).toBeNull();
  return { userId: user.id, keys: [first, second], client };
}

const call = (gw: GatewayFixture, key: string, body: Record<string, unknown>) =>
  fetch(`${gw.url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "Hello" }], ...body }),
  });

async function activity(client: ConsoleClient, query = ""): Promise<Page> {
  const response = await client.fetch(`/api/console/activity${query}`);
  expect(response.status).toBe(200);
  return response.json();
}

/** Rows land in a write batch a moment after the answer; wait for them. */
function waitForRows(client: ConsoleClient, count: number): Promise<Page> {
  return poll(
    () => activity(client, "?limit=500"),
    (page) => page.data.length >= count,
    { timeoutMs: 10_000, intervalMs: 100, what: `${count} activity rows` },
  );
}

for (const kind of await availableDatabaseKinds()) {
  describe(`activity on ${kind}`, () => {
    let gw: GatewayFixture;
    let db: Db;
    let dropTarget: (() => Promise<void>) | undefined;
    let alice: Awaited<ReturnType<typeof member>>;
    let bob: Awaited<ReturnType<typeof member>>;
    let admin: ConsoleClient;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const target = kind === "postgres" ? await createTestTarget("postgres") : null;
      dropTarget = target?.dropTarget;
      gw = await startGatewayFixture({}, target ? { database: target.target } : {});
      db = createDb(gw.dbTarget);
      admin = new ConsoleClient(gw.url);
      expect(await admin.signIn("dev@example.com", PASSWORD)).toBeNull(); // the fixture's first account: the admin
      alice = await member(db, gw, `alice-${kind}@example.com`);
      bob = await member(db, gw, `bob-${kind}@example.com`);

      const failover = await call(gw, alice.keys[0].key, { model: "test/any", provider: { routing: { type: "order", providers: ["broken", "fast"] } } });
      expect(failover.status).toBe(200);
      ids.failover = failover.headers.get("x-request-id")!;
      const priced = await call(gw, alice.keys[1].key, { model: "test/priced", provider: { routing: { type: "order", providers: ["cheap"] } } });
      ids.priced = priced.headers.get("x-request-id")!;
      const streamed = await call(gw, alice.keys[0].key, { model: "test/chat", stream: true, messages: [{ role: "user", content: "canary-alice-7d1f" }] });
      await streamed.text();
      ids.streamed = streamed.headers.get("x-request-id")!;
      for (let i = 0; i < 3; i++) await (await call(gw, alice.keys[0].key, { model: "test/flat" })).text();
      const bobs = await call(gw, bob.keys[0].key, { model: "test/flat" });
      await bobs.text();
      ids.bob = bobs.headers.get("x-request-id")!;
      await waitForRows(alice.client, 6);
      await waitForRows(bob.client, 1);
    });

    afterAll(async () => {
      await db?.$disconnect();
      await gw?.stop();
      await dropTarget?.();
    });

    it("lists a member's calls newest first with the serving provider, cost and key", async () => {
      const { data } = await activity(alice.client);
      expect(data).toHaveLength(6);
      expect(data.map((r) => r.account)).toEqual(Array(6).fill(`alice-${kind}@example.com`));
      const failover = data.find((r) => r.id === ids.failover)!;
      expect(failover).toMatchObject({ model: "test/any", provider: "fast", status: "success", attempts: 2, apiKey: { name: "first key" } });
      const priced = data.find((r) => r.id === ids.priced)!;
      expect(priced).toMatchObject({ provider: "cheap", apiKey: { name: "second key" } });
      // $0.5/M prompt and $1.5/M completion on the fake's tokens, exactly.
      expect(Number(priced.costUsd)).toBeCloseTo((priced.tokens.prompt * 0.5 + priced.tokens.completion * 1.5) / 1e6, 12);
      expect(data.filter((r) => r.model === "test/flat").every((r) => r.costUsd === "0.01")).toBe(true);
    });

    it("writes the rows off the serving thread on SQLite (the worker's batches), on the serving thread's async driver on PostgreSQL", async () => {
      const { activityQueue } = await (await fetch(`${gw.url}/api/health`)).json();
      if (kind === "sqlite") {
        expect(activityQueue).toMatchObject({ writtenOn: "worker", queued: 0 });
        expect(activityQueue.offThreadBatches).toBeGreaterThan(0);
      } else expect(activityQueue).toMatchObject({ writtenOn: "main", offThreadBatches: 0 });
    });

    it("filters by provider, key, model and status, and finds a call by id", async () => {
      expect((await activity(alice.client, "?provider=cheap")).data.map((r) => r.id)).toEqual([ids.priced]);
      const secondKey = (await activity(alice.client, `?key=${alice.keys[1].summary.id}`)).data;
      expect(secondKey.map((r) => r.id)).toEqual([ids.priced]);
      expect((await activity(alice.client, "?model=test/flat")).data).toHaveLength(3);
      expect((await activity(alice.client, "?status=error")).data).toEqual([]);
      expect((await activity(alice.client, `?q=${ids.streamed}`)).data.map((r) => r.id)).toEqual([ids.streamed]);
      const bad = await alice.client.fetch("/api/console/activity?status=sideways");
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message).toMatch(/status must be success, error or aborted/);
    });

    it("pages with a cursor without repeating or skipping a row", async () => {
      const all = (await activity(alice.client)).data.map((r) => r.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await activity(alice.client, `?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
        seen.push(...page.data.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
    });

    it("shows the failed attempt and the serving one in the detail, and the raw record", async () => {
      const response = await alice.client.fetch(`/api/console/activity/${ids.failover}`);
      expect(response.status).toBe(200);
      const detail = await response.json();
      expect(
        detail.record.attempts.map((a: { provider: string; status: string; httpStatus: number; served: boolean }) => [
          a.provider,
          a.status,
          a.httpStatus,
          a.served,
        ]),
      ).toEqual([
        ["broken", "error", 503, false],
        ["fast", "success", 200, true],
      ]);
      expect(detail.record).toMatchObject({ generationId: ids.failover, provider: "fast", requestRetryTimes: 1 });
      expect(detail.apiKey).toMatchObject({ name: "first key" });
      expect(detail.content).toBeNull();
    });

    it("keeps members to their own rows; admins see every account or filter to one", async () => {
      expect((await activity(alice.client, `?q=${ids.bob}`)).data).toEqual([]);
      expect((await alice.client.fetch(`/api/console/activity/${ids.bob}`)).status).toBe(404);
      // A member's account filter cannot widen their view.
      expect((await activity(alice.client, `?account=${bob.userId}`)).data.every((r) => r.account === `alice-${kind}@example.com`)).toBe(true);
      const everyone = (await activity(admin)).data;
      expect(new Set(everyone.map((r) => r.account))).toEqual(new Set([`alice-${kind}@example.com`, `bob-${kind}@example.com`]));
      expect((await activity(admin, `?account=${bob.userId}`)).data.map((r) => r.id)).toEqual([ids.bob]);
      expect((await admin.fetch(`/api/console/activity/${ids.bob}`)).status).toBe(200);
      expect((await new ConsoleClient(gw.url).fetch("/api/console/activity")).status).toBe(401);
    });

    it("exports the filtered view as a streamed CSV", async () => {
      const response = await alice.client.fetch("/api/console/activity/export?model=test/flat");
      expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="switchyard-activity-.*\.csv"$/);
      const lines = (await response.text()).trim().split("\n");
      expect(lines[0]).toMatch(/^generation_id,created_at,account,member,api_key,api,upstream_api,requested_model,model,provider/);
      expect(lines).toHaveLength(4);
      expect(lines.slice(1).every((line) => line.includes(",test/flat,test/flat,fast,") && line.includes(",0.01,"))).toBe(true);
      const all = await (await alice.client.fetch("/api/console/activity/export")).text();
      for (const id of Object.values(ids).filter((id) => id !== ids.bob)) expect(all).toContain(id);
      expect(all).not.toContain(ids.bob);
    });

    it("stores no request or response content unless the account opts in, then stores both", async () => {
      expect(await db.generationContent.count()).toBe(0);
      if (kind === "sqlite") {
        // Not in any table, index or journal page: grep the database files for the canary.
        const dir = path.dirname(gw.dbTarget.kind === "sqlite" ? gw.dbTarget.filePath : "");
        for (const file of readdirSync(dir).filter((f) => f.startsWith("db.sqlite")))
          expect(readFileSync(path.join(dir, file)).includes("canary-alice-7d1f")).toBe(false);
      }
      const optIn = await bob.client.fetch("/api/console/settings", { method: "PATCH", json: { storeContent: true } });
      expect(optIn.status).toBe(200);
      expect((await optIn.json()).data.storeContent).toBe(true);
      const streamed = await call(gw, bob.keys[0].key, { model: "test/chat", stream: true, messages: [{ role: "user", content: "canary-bob-stream" }] });
      const sse = await streamed.text();
      const plain = await call(gw, bob.keys[0].key, { model: "test/chat", messages: [{ role: "user", content: "canary-bob-json" }] });
      const json = await plain.text();
      await waitForRows(bob.client, 3);
      const streamedDetail = await (await bob.client.fetch(`/api/console/activity/${streamed.headers.get("x-request-id")}`)).json();
      expect(JSON.parse(streamedDetail.content.requestBody).messages[0].content).toBe("canary-bob-stream");
      expect(streamedDetail.content.responseBody).toBe(sse);
      const jsonDetail = await (await bob.client.fetch(`/api/console/activity/${plain.headers.get("x-request-id")}`)).json();
      expect(jsonDetail.content).toMatchObject({ responseBody: json, truncated: false });
      // Bob's earlier call, made before he opted in, stays metadata only.
      expect((await (await bob.client.fetch(`/api/console/activity/${ids.bob}`)).json()).content).toBeNull();
      await bob.client.fetch("/api/console/settings", { method: "PATCH", json: { storeContent: false } });
    });
  });
}

describe("activity right after a call", () => {
  let gw: GatewayFixture;
  let db: Db;

  beforeAll(async () => {
    // A flush interval far longer than the test: only the console's catch-up can have written the row.
    gw = await startGatewayFixture({ ACTIVITY_FLUSH_MS: "600000" });
    db = createDb(gw.dbTarget);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await gw?.stop();
  });

  it("lists, details and charts a call the moment it returns, before the writer's timer fires", async () => {
    const carol = await member(db, gw, "carol@example.com");
    const answered = await call(gw, carol.keys[0].key, { model: "test/flat" });
    expect(answered.status).toBe(200);
    await answered.text();
    const id = answered.headers.get("x-request-id")!;

    const { data } = await activity(carol.client);
    expect(data.map((row) => row.id)).toEqual([id]);
    expect((await carol.client.fetch(`/api/console/activity/${id}`)).status).toBe(200);
    const usage = await carol.client.fetch("/api/console/usage/summary");
    expect(usage.status).toBe(200);
    expect(await usage.json()).toMatchObject({ requests: 1, topModels: [{ model: "test/flat", requests: 1 }] });
  });
});
