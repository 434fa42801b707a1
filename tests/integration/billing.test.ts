/**
 * Billing through the real routes: pre-authorisation (402), exact charges equal to the
 * reported cost, failover and abandoned streams billed right, the balance endpoint,
 * and 200 simultaneous requests against a balance that covers a known number of them,
 * on SQLite and on PostgreSQL. Idempotency-Key has its own file (idempotency.test.ts).
 *
 * Each runs with balance leases (the default) and with per-request holds (BILLING_LEASES=off).
 * With leases, an account's `reserved` right after a call may be the unused part of a lease
 * (never a hold of a call that answered): the checks are that the charge is in the balance
 * when the answer arrives, that nothing but leases is held then, and that once the lease is
 * returned (LEASE_IDLE_MS, short here) nothing is held at all and the balance is unchanged.
 */
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { credit, verifyLedger } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { ConsoleClient } from "@/tests/support/console-client";
import { heldMoney, untilNothingHeld } from "@/tests/support/held-money";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

const messages = [{ role: "user", content: "Hello" }];

async function accountWith(db: Db, email: string, usd: bigint): Promise<{ userId: string; key: string }> {
  const previous = process.env.TRIAL_CREDIT_USD;
  process.env.TRIAL_CREDIT_USD = "0";
  const user = await createUser(db, { email, password: "long enough password" });
  process.env.TRIAL_CREDIT_USD = previous;
  if (usd > 0n) await credit(db, { userId: user.id, kind: "top_up", amountNanoUsd: usd, idempotencyKey: `test-top-up:${user.id}` });
  const { key } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "billing" }), new Set());
  return { userId: user.id, key };
}

const post = (gw: GatewayFixture, key: string, body: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(`${gw.url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ messages, ...body }),
    signal,
  });

const charges = (db: Db, userId: string) => db.ledgerEntry.findMany({ where: { userId, kind: "charge" } });

const MODES = [
  { mode: "balance leases", env: { LEASE_IDLE_MS: "500" }, leases: true },
  { mode: "per-request holds", env: { BILLING_LEASES: "off" }, leases: false },
] as const;

/**
 * Right after an answer: its charge is in the balance, and the account holds nothing but
 * leases (none without them); once they are returned, nothing at all, and the balance is the same.
 */
async function expectSettled(db: Db, userId: string, balanceNanoUsd: bigint, leases: boolean) {
  const now = await heldMoney(db, userId);
  expect(now.balanceNanoUsd).toBe(balanceNanoUsd);
  expect(now.openReservationsNanoUsd).toBe(0n);
  expect(now.reservedNanoUsd).toBe(now.leasedNanoUsd);
  if (!leases) expect(now.reservedNanoUsd).toBe(0n);
  expect(await untilNothingHeld(db, userId)).toMatchObject({ balanceNanoUsd, reservedNanoUsd: 0n, leasedNanoUsd: 0n });
  expect((await verifyLedger(db)).mismatches.filter((m) => m.userId === userId)).toEqual([]);
}

describe.each(MODES)("billing on SQLite with $mode", ({ env, leases }) => {
  let gw: GatewayFixture;
  let db: Db;
  beforeAll(async () => {
    gw = await startGatewayFixture(env);
    db = createDb(gw.dbTarget);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await gw?.stop();
  });

  it("refuses with 402 reject_no_credit (billing_error on the Anthropic surface) when the balance cannot cover a request", async () => {
    const { key, userId } = await accountWith(db, "broke@example.com", 0n);
    const before = gw.fake.stats().total;
    const response = await post(gw, key, { model: "test/chat" });
    expect(response.status).toBe(402);
    expect(response.headers.get("x-should-retry")).toBe("false");
    expect((await response.json()).error).toMatchObject({ code: "402", type: "reject_no_credit", message: expect.stringMatching(/^Insufficient balance/) });
    const anthropic = new Anthropic({ baseURL: `${gw.url}/api/anthropic`, apiKey: key, maxRetries: 0 });
    await expect(anthropic.messages.create({ model: "test/claude", max_tokens: 10, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({
      status: 402,
      error: { type: "error", error: { type: "billing_error" } },
    });
    expect(gw.fake.stats().total).toBe(before);
    expect(await charges(db, userId)).toEqual([]);
  });

  it("charges exactly the cost it reports: usage.cost, the record, the ledger and the balance agree", async () => {
    const { key, userId } = await accountWith(db, "payer@example.com", 1_000_000_000n);
    const response = await post(gw, key, { model: "test/cached" });
    const body = await response.json();
    const record = await (
      await fetch(`${gw.url}/api/v1/generation?id=${response.headers.get("x-request-id")}`, { headers: { authorization: `Bearer ${key}` } })
    ).json();
    expect(body.usage.cost).toBe(record.usage);
    expect(body.usage.cost_details.input_cache_read).toBeCloseTo(0.0005, 10);
    const [charge] = await charges(db, userId);
    expect(-Number(charge.amountNanoUsd) / 1e9).toBe(body.usage.cost);
    await expectSettled(db, userId, 1_000_000_000n + charge.amountNanoUsd, leases);

    const anthropic = await fetch(`${gw.url}/api/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ model: "test/claude", max_tokens: 20, messages: [{ role: "user", content: "Hi" }] }),
    });
    expect(Number(anthropic.headers.get("x-switchyard-cost"))).toBeGreaterThan(0);
  });

  it("bills only the serving attempt after a failover, and nothing when every provider fails", async () => {
    const { key, userId } = await accountWith(db, "failover@example.com", 1_000_000_000n);
    const served = await post(gw, key, { model: "test/flat", provider: { routing: { type: "order", providers: ["broken", "fast"] } } });
    expect(served.status).toBe(200);
    const failed = await post(gw, key, { model: "test/any", provider: { routing: { type: "order", providers: ["broken", "ratelimited"] } } });
    expect(failed.status).toBe(502);
    expect((await charges(db, userId)).map((c) => c.amountNanoUsd)).toEqual([-10_000_000n]);
    await expectSettled(db, userId, 1_000_000_000n - 10_000_000n, leases);
  });

  it("bills an abandoned stream for what was produced before the client left", async () => {
    const { key, userId } = await accountWith(db, "quitter@example.com", 1_000_000_000n);
    const controller = new AbortController();
    const response = await post(
      gw,
      key,
      { model: "test/any", stream: true, provider: { routing: { type: "order", providers: ["trickle"] } } },
      {},
      controller.signal,
    );
    const reader = response.body!.getReader();
    let received = "";
    while (!received.includes("ipsum")) received += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    let rows = await charges(db, userId);
    for (let i = 0; i < 100 && rows.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      rows = await charges(db, userId);
    }
    expect(rows).toHaveLength(1);
    const full = 400n * 2n * 1000n; // 400 output tokens at $2/M in nano-USD, the most it could have cost
    expect(-rows[0].amountNanoUsd).toBeGreaterThan(0n);
    expect(-rows[0].amountNanoUsd).toBeLessThan(full);
  });

  it("refuses with 402 naming the key's spend limit once it is reached", async () => {
    const { userId } = await accountWith(db, "limited@example.com", 1_000_000_000n);
    const { key } = await createApiKey(db, userId, createApiKeyInputSchema.parse({ name: "capped", spendLimitDayUsd: "0.02" }), new Set());
    expect((await post(gw, key, { model: "test/flat" })).status).toBe(200);
    expect((await post(gw, key, { model: "test/flat" })).status).toBe(200);
    const refused = await post(gw, key, { model: "test/flat" });
    expect(refused.status).toBe(402);
    expect((await refused.json()).error).toMatchObject({ type: "spend_limit_daily_exceeded", message: expect.stringContaining("daily spend limit") });
    const keys = await db.apiKey.findMany({ where: { userId, name: "capped" } });
    expect(keys[0].spentNanoUsd).toBe(20_000_000n);
  });

  it("lets an admin grant credits with a reason from the console, refusing bad amounts field by field", async () => {
    const admin = new ConsoleClient(gw.url);
    expect(await admin.signIn("dev@example.com", "long enough password")).toBeNull(); // the fixture's first account: the admin
    const { userId } = await accountWith(db, "granted@example.com", 0n);
    const bad: [Record<string, unknown>, string, string][] = [
      [{ email: "granted@example.com", usd: "abc", reason: "x" }, "usd", "Enter an amount in USD, like 10 or -2.50 (not 0)"],
      [{ email: "granted@example.com", usd: "0", reason: "x" }, "usd", "Enter an amount in USD, like 10 or -2.50 (not 0)"],
      [{ email: "granted@example.com", usd: "5" }, "reason", "A reason is required"],
      [{ email: "nobody@example.com", usd: "5", reason: "x" }, "email", "No account with email nobody@example.com"],
    ];
    for (const [body, field, message] of bad) {
      const response = await admin.fetch("/api/console/admin/credits", { json: body });
      expect(response.status).toBe(400);
      expect((await response.json()).error.fields[field]).toBe(message);
    }
    expect(await db.ledgerEntry.count({ where: { userId } })).toBe(0);
    const granted = await admin.fetch("/api/console/admin/credits", { json: { email: "granted@example.com", usd: "12.5", reason: "support ticket 7" } });
    expect(granted.status).toBe(200);
    expect((await granted.json()).balance.totalUsd).toBe("12.50");
    const entry = await db.ledgerEntry.findFirstOrThrow({ where: { userId } });
    expect(entry).toMatchObject({ kind: "top_up", amountNanoUsd: 12_500_000_000n, reason: "support ticket 7" });
  });

  it("shows this instance's billing figures in /api/health: counts and sums, nothing about an account", async () => {
    const health = await (await fetch(`${gw.url}/api/health`)).json();
    expect(Object.keys(health.billing).sort()).toEqual([
      "groupCommit",
      "heldUsd",
      "leasedUsd",
      "leasesHeld",
      "mode",
      "perRequestFallbacks",
      "queuedSettlements",
    ]);
    expect(health.billing).toMatchObject({ mode: leases ? "leases" : "per-request", heldUsd: "0.00", queuedSettlements: 0 });
    // The calls above were served: with leases, through group commits (the spend-limited and small ones per request).
    if (leases) {
      expect(health.billing.groupCommit.calls).toBeGreaterThan(0);
      expect(health.billing.groupCommit.batches).toBeGreaterThan(0);
      expect(health.billing.perRequestFallbacks).toBeGreaterThan(0);
      // SQLite: every group commit was written by the write worker thread, none on the serving thread.
      expect(health.billing.groupCommit.writtenOn).toBe("worker");
      expect(health.billing.groupCommit.offThreadBatches).toBe(health.billing.groupCommit.batches);
    } else
      expect(health.billing).toMatchObject({
        leasesHeld: 0,
        leasedUsd: "0.00",
        groupCommit: { batches: 0, calls: 0, writtenOn: "main", offThreadBatches: 0 },
        perRequestFallbacks: 0,
      });
  });

  it("reports the balance in ZenMux's shape", async () => {
    const { key } = await accountWith(db, "balance@example.com", 2_500_000_000n);
    const body = await (await fetch(`${gw.url}/api/v1/management/payg/balance`, { headers: { authorization: `Bearer ${key}` } })).json();
    expect(body).toEqual({
      success: true,
      data: { currency: "usd", total_credits: 2.5, top_up_credits: 2.5, bonus_credits: 0, reserved_credits: 0, available_credits: 2.5 },
    });
  });
});

describe("200 simultaneous requests against a balance that covers 60", async () => {
  for (const kind of await availableDatabaseKinds())
    for (const { mode, env } of MODES) {
      it(`lets exactly 60 through on ${kind} with ${mode}; the rest get 402; balance = ledger sum, never negative`, async () => {
        const target = kind === "postgres" ? await createTestTarget("postgres") : null;
        const gw = await startGatewayFixture(env, target ? { database: target.target } : {});
        const db = createDb(gw.dbTarget);
        try {
          const { key, userId } = await accountWith(db, `crowd-${kind}@example.com`, 600_000_000n); // $0.60 = 60 calls at $0.01
          const statuses = await Promise.all(
            Array.from({ length: 200 }, () => post(gw, key, { model: "test/flat", max_tokens: 5 }).then(async (r) => (await r.text(), r.status))),
          );
          expect(statuses.filter((s) => s === 200)).toHaveLength(60);
          expect(statuses.filter((s) => s === 402)).toHaveLength(140);
          const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
          expect(user.balanceNanoUsd).toBe(0n);
          expect(user.reservedNanoUsd).toBe(0n);
          expect(await untilNothingHeld(db, userId)).toMatchObject({ balanceNanoUsd: 0n, reservedNanoUsd: 0n });
          expect(await charges(db, userId)).toHaveLength(60);
          expect((await verifyLedger(db)).mismatches).toEqual([]);
        } finally {
          await db.$disconnect();
          await gw.stop();
          await target?.dropTarget();
        }
      }, 120_000);
    }
});
