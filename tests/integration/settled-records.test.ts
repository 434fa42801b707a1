/**
 * A charged call never loses its activity record. With the activity writer holding its
 * records (ACTIVITY_FLUSH_MS far away), calls that completed and were charged are still
 * only queued when the server is SIGKILLed; the restart with the same
 * SWITCHYARD_INSTANCE_ID writes each one's row from the record its settlement stored,
 * with cost = charge, and ledger:verify is clean. On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { credit, verifyLedger } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey } from "@/lib/keys/api-key-service";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";
import { poll } from "@/tests/support/poll";

const BALANCE_NANO_USD = 1_000_000_000n;
/** later than any charge's grace before ledger:verify counts a missing row */
const LATER = () => new Date(Date.now() + 10 * 60_000);

async function accountWith(db: Db, email: string): Promise<{ userId: string; key: string }> {
  const previous = process.env.TRIAL_CREDIT_USD;
  process.env.TRIAL_CREDIT_USD = "0";
  const user = await createUser(db, { email, password: "long enough password" });
  process.env.TRIAL_CREDIT_USD = previous;
  await credit(db, { userId: user.id, kind: "top_up", amountNanoUsd: BALANCE_NANO_USD, idempotencyKey: `records-test:${user.id}` });
  const { key } = await createApiKey(db, user.id, createApiKeyInputSchema.parse({ name: "records" }), new Set());
  return { userId: user.id, key };
}

type Call = { surface: "chat" | "messages"; stream: boolean };

/** One call to the end (a stream read to its close); resolves to its generation id. */
async function call(url: string, key: string, { surface, stream }: Call): Promise<string> {
  const messages = [{ role: "user", content: "Tell me a story" }];
  const response =
    surface === "chat"
      ? await fetch(`${url}/api/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "test/chat", stream, max_tokens: 64, messages }),
        })
      : await fetch(`${url}/api/anthropic/v1/messages`, {
          method: "POST",
          headers: { "x-api-key": key, "content-type": "application/json", "anthropic-version": "2023-06-01" },
          body: JSON.stringify({ model: "test/claude", stream, max_tokens: 64, messages }),
        });
  const body = await response.text();
  expect(response.status, body).toBe(200);
  return response.headers.get("x-request-id")!;
}

/** Polls the database until `check` holds (each poll is a query, not a fixed wait). */
const until = <T>(what: string, probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 90_000): Promise<T> =>
  poll(probe, check, { timeoutMs, intervalMs: 100, what });

const KINDS: Call[] = [
  { surface: "chat", stream: false },
  { surface: "chat", stream: true },
  { surface: "messages", stream: false },
  { surface: "messages", stream: true },
];
const CALLS: Call[] = KINDS.flatMap((c) => [c, c]);

describe("records of calls charged before a crash", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let gw: GatewayFixture;
      let db: Db;
      let restarted: SwitchyardProcess | null = null;
      let dropTarget: () => Promise<void> = async () => undefined;
      beforeAll(async () => {
        const { target, dropTarget: drop } =
          kind === "postgres" ? await createTestTarget("postgres") : { target: undefined, dropTarget: async () => undefined };
        dropTarget = drop;
        gw = await startGatewayFixture({ ACTIVITY_FLUSH_MS: "600000", SWITCHYARD_INSTANCE_ID: "records-test" }, { database: target });
        db = createDb(gw.dbTarget);
      }, 120_000);
      afterAll(async () => {
        await restarted?.stop();
        await db?.$disconnect();
        await gw?.stop();
        await dropTarget();
      });

      it("after SIGKILL, the restart writes the activity row of every call charged while its record was still queued, cost = charge", async () => {
        const account = await accountWith(db, `records-${kind}@example.com`);
        const ids = await Promise.all(CALLS.map((c) => call(gw.url, account.key, c)));
        // Every call is charged (a stream settles just after its close reaches the client) ...
        const charges = await until(
          `${CALLS.length} charges`,
          () => db.ledgerEntry.findMany({ where: { userId: account.userId, kind: "charge" } }),
          (rows) => rows.length === CALLS.length,
        );
        expect(charges.map((c) => c.generationId).sort()).toEqual([...ids].sort());
        // ... and no row is written yet: the writer holds them all.
        expect(await db.generation.count({ where: { userId: account.userId } })).toBe(0);

        await gw.server.kill();
        // The loss as an operator would see it if nothing recovered it.
        expect((await verifyLedger(db, { now: LATER() })).chargesWithoutRecord.map((c) => c.generationId).sort()).toEqual([...ids].sort());

        restarted = await startSwitchyard(gw.env);
        // Written before the server took requests.
        expect(restarted.output()).toMatch(new RegExp(`instance records-test: wrote ${CALLS.length} activity record\\(s\\) of calls charged before a crash`));
        const rows = await db.generation.findMany({ where: { userId: account.userId }, include: { attempts: true } });
        expect(rows).toHaveLength(CALLS.length);
        for (const charge of charges) {
          const row = rows.find((r) => r.id === charge.generationId)!;
          expect(row).toMatchObject({ status: "success", httpStatus: 200, costNanoUsd: -charge.amountNanoUsd });
          expect(row.costNanoUsd).toBeGreaterThan(0n);
          expect(row.attempts.filter((a) => a.served)).toHaveLength(1);
        }
        expect(rows.map((r) => [r.api, r.streamed]).sort()).toEqual(CALLS.map((c) => [c.surface, c.stream]).sort());
        const rollup = await db.usageRollup.aggregate({ where: { userId: account.userId }, _sum: { requests: true, costNanoUsd: true } });
        expect(rollup._sum).toEqual({ requests: CALLS.length, costNanoUsd: -charges.reduce((sum, c) => sum + c.amountNanoUsd, 0n) });
        const verified = await verifyLedger(db, { now: LATER() });
        expect(verified).toMatchObject({ mismatches: [], orphanedHolds: [], chargesWithoutRecord: [] });
      }, 300_000);
    });
  }
});
