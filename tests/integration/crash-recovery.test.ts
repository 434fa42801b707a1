/**
 * A crash neither locks balances nor loses charges. Streams in flight checkpoint their
 * cost; after SIGKILL, the instance's restart (same SWITCHYARD_INSTANCE_ID) releases
 * its holds before it serves and charges each stream what it had checkpointed, exactly
 * once, with an activity row; and another instance does the same once the dead one's
 * heartbeat is stale, without it coming back. On SQLite and PostgreSQL, with per-request
 * holds (BILLING_LEASES=off) and with balance leases (the default: the streams are held from one lease,
 * which recovery returns after charging each stream's checkpoint row).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { credit, verifyLedger } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import type { DatabaseTarget } from "@/lib/db/database-url";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";
import { poll } from "@/tests/support/poll";

const ROOT = path.resolve(import.meta.dirname, "../..");
const STREAMS = 30;
/** $0.03: 30 streams of max_tokens 400 hold ~$0.024, leaving too little for a max_tokens 4,000 call (~$0.008). */
const BALANCE_NANO_USD = 30_000_000n;
/** a call that needs $0.008 of the balance */
const FAST_CALL = { max_tokens: 4000, provider: { routing: { type: "order", providers: ["fast"] } } };
/**
 * Both ways of holding money, and what ledger:verify and the logs say of a dead instance's
 * holds in each. With leases, streams that arrive while the lease is being topped up past
 * what it may take fall back to per-request holds, so the count of orphaned items varies.
 */
const MODES = [
  {
    mode: "per-request holds",
    env: { BILLING_LEASES: "off" },
    orphaned: `${STREAMS} orphaned reservations or balance leases`,
    restartLog: `recovered ${STREAMS} hold\\(s\\) left by crashed runs`,
    sweepLog: /billing: recovered 8 orphaned hold\(s\) \(8 stale\)/,
  },
  {
    mode: "balance leases",
    env: {},
    orphaned: "\\d+ orphaned reservations? or balance leases?",
    restartLog: "returned 1 balance lease\\(s\\) left by crashed runs",
    sweepLog: /billing: returned 1 balance lease\(s\) of dead instances \(1 stale\)/,
  },
] as const;
const LIVENESS = { STREAM_CHECKPOINT_MS: "300", INSTANCE_HEARTBEAT_MS: "500", INSTANCE_STALE_MS: "8000", RESERVATION_SWEEP_MS: "300" };

async function accountWith(db: Db, email: string): Promise<{ userId: string; key: string; keyId: string }> {
  const previous = process.env.TRIAL_CREDIT_USD;
  process.env.TRIAL_CREDIT_USD = "0";
  const user = await createUser(db, { email, password: "long enough password" });
  process.env.TRIAL_CREDIT_USD = previous;
  await credit(db, { userId: user.id, kind: "top_up", amountNanoUsd: BALANCE_NANO_USD, idempotencyKey: `crash-test:${user.id}` });
  const { key, summary } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "crash" }), new Set());
  return { userId: user.id, key, keyId: summary.id };
}

const chat = (url: string, key: string, body: Record<string, unknown>) =>
  fetch(`${url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "test/any", messages: [{ role: "user", content: "Tell me a long story" }], ...body }),
  });

/** Opens a slow stream and resolves once content has reached the client; the rest is drained in the background until the server dies. */
async function openStream(url: string, key: string): Promise<void> {
  const response = await chat(url, key, { stream: true, max_tokens: 400, provider: { routing: { type: "order", providers: ["trickle"] } } });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes('"content":"')) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the stream ended before any content:\n${text}`);
    text += decoder.decode(value, { stream: true });
  }
  void (async () => {
    for (;;) if ((await reader.read()).done) return;
  })().catch(() => undefined);
}

/** Polls the database until `check` holds (each poll is a query, not a fixed wait). */
const until = <T>(what: string, probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 90_000): Promise<T> =>
  poll(probe, check, { timeoutMs, intervalMs: 100, what });

type Checkpointed = { id: string; cost: bigint };

/** Waits until every open hold of the account has checkpointed output (cost beyond the prompt), and returns those costs once the server is dead. */
async function waitForCheckpoints(db: Db, userId: string, count: number): Promise<void> {
  await until(
    `${count} checkpoints with output`,
    () => db.reservation.findMany({ where: { userId, settledAt: null }, select: { provisionalRecord: true } }),
    (rows) => rows.length === count && rows.every((r) => r.provisionalRecord !== null && JSON.parse(r.provisionalRecord).completionTokens > 0),
  );
}

async function checkpointedCosts(db: Db, userId: string): Promise<Checkpointed[]> {
  const rows = await db.reservation.findMany({ where: { userId, settledAt: null }, select: { id: true, provisionalCostNanoUsd: true } });
  return rows.map((r) => ({ id: r.id, cost: r.provisionalCostNanoUsd! }));
}

/** Every stream charged its checkpoint once under charge:<generation id>, with an activity row saying what happened; no hold left. */
async function expectRecovered(db: Db, account: { userId: string; keyId: string }, checkpointed: Checkpointed[]): Promise<void> {
  const charges = await db.ledgerEntry.findMany({ where: { userId: account.userId, kind: "charge" } });
  expect(charges).toHaveLength(checkpointed.length);
  for (const { id, cost } of checkpointed) {
    expect(cost).toBeGreaterThan(0n);
    expect(charges.filter((c) => c.idempotencyKey === `charge:${id}`).map((c) => c.amountNanoUsd)).toEqual([-cost]);
    expect(await db.generation.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "error",
      errorType: "instance_crashed",
      costNanoUsd: cost,
      providerSlug: "trickle",
      streamed: true,
      completionTokens: expect.any(Number),
    });
  }
  const total = checkpointed.reduce((sum, c) => sum + c.cost, 0n);
  expect(await db.user.findUniqueOrThrow({ where: { id: account.userId } })).toMatchObject({ reservedNanoUsd: 0n, balanceNanoUsd: BALANCE_NANO_USD - total });
  expect(await db.apiKey.findUniqueOrThrow({ where: { id: account.keyId } })).toMatchObject({ reservedNanoUsd: 0n, spentNanoUsd: total });
  const verified = await verifyLedger(db, { staleMs: Number(LIVENESS.INSTANCE_STALE_MS) });
  expect(verified.mismatches).toEqual([]);
  expect(verified.orphanedHolds).toEqual([]);
}

function ledgerVerifyCli(target: DatabaseTarget, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "cli/main.ts", "ledger:verify"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: target.url, ...env },
    encoding: "utf8",
  });
}

describe("crash recovery", async () => {
  for (const [kind, billing] of (await availableDatabaseKinds()).flatMap((kind) => MODES.map((mode) => [kind, mode] as const))) {
    describe(`${kind}, ${billing.mode}`, () => {
      let gw: GatewayFixture;
      let db: Db;
      let dropTarget: () => Promise<void> = async () => undefined;
      const servers: SwitchyardProcess[] = [];
      /** the instance that outlives the crashes (the first test's restart) and sweeps for the second */
      let survivor: SwitchyardProcess | null = null;
      beforeAll(async () => {
        const { target, dropTarget: drop } =
          kind === "postgres" ? await createTestTarget("postgres") : { target: undefined, dropTarget: async () => undefined };
        dropTarget = drop;
        gw = await startGatewayFixture({ ...LIVENESS, ...billing.env, SWITCHYARD_INSTANCE_ID: "crash-test-a" }, { database: target });
        db = createDb(gw.dbTarget);
      }, 120_000);
      afterAll(async () => {
        for (const server of servers) await server.stop();
        await db?.$disconnect();
        await gw?.stop();
        await dropTarget();
      });

      it(`after SIGKILL with ${STREAMS} streams open, the restart frees the holds before serving and charges every stream its checkpoint once`, async () => {
        const account = await accountWith(db, "crash@example.com");
        await Promise.all(Array.from({ length: STREAMS }, () => openStream(gw.url, account.key)));
        await waitForCheckpoints(db, account.userId, STREAMS);
        // The holds lock the balance: a call that needs it is refused while they stand.
        expect((await chat(gw.url, account.key, FAST_CALL)).status).toBe(402);

        await gw.server.kill();
        const checkpointed = await checkpointedCosts(db, account.userId);
        expect(checkpointed).toHaveLength(STREAMS);
        // Before anyone recovers them, ledger:verify reports the held-but-orphaned money (the instance counts as dead at once here).
        const report = ledgerVerifyCli(gw.dbTarget, { INSTANCE_STALE_MS: "1" });
        expect(report.status, report.stdout).toBe(1);
        expect(report.stderr).toMatch(new RegExp(`crash@example\\.com: \\$[\\d.]+ held by ${billing.orphaned} \\(stale\\)`));

        const restarted = await startSwitchyard(gw.env);
        servers.push(restarted);
        survivor = restarted;
        // Right away, before any sweep: recovery ran before the server took requests.
        expect(restarted.output()).toMatch(new RegExp(`instance crash-test-a: ${billing.restartLog}`));
        await expectRecovered(db, account, checkpointed);
        expect((await chat(restarted.url, account.key, FAST_CALL)).status).toBe(200);
        const clean = ledgerVerifyCli(gw.dbTarget);
        expect(clean.status, clean.stderr).toBe(0);
      }, 300_000);

      it("another instance recovers a dead instance's holds once its heartbeat is stale, without it restarting", async () => {
        const account = await accountWith(db, "crash-b@example.com");
        if (!survivor) servers.push((survivor = await startSwitchyard(gw.env)));
        const dying = await startSwitchyard({ ...gw.env, SWITCHYARD_INSTANCE_ID: "crash-test-dying" });
        servers.push(dying);
        await Promise.all(Array.from({ length: 8 }, () => openStream(dying.url, account.key)));
        await waitForCheckpoints(db, account.userId, 8);
        // The survivor's sweeper ran all along and left a live instance's holds alone.
        expect(await db.reservation.count({ where: { userId: account.userId, settledAt: null } })).toBe(8);

        await dying.kill();
        const checkpointed = await checkpointedCosts(db, account.userId);
        expect(checkpointed).toHaveLength(8);
        await until(
          "the survivor's sweeper to recover the holds",
          () => db.user.findUniqueOrThrow({ where: { id: account.userId } }),
          (user) => user.reservedNanoUsd === 0n,
        );
        await expectRecovered(db, account, checkpointed);
        expect(await db.gatewayInstance.findUnique({ where: { id: "crash-test-dying" } })).not.toBeNull(); // it never came back
        // The sweep logs its summary after the round (records included), a moment after the last hold is released.
        const logged = billing.sweepLog;
        await until(
          "the survivor to log the recovery",
          async () => survivor!.output(),
          (output) => logged.test(output),
        );
        expect(survivor.output()).toMatch(logged);
      }, 300_000);
    });
  }
});
