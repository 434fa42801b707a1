/**
 * Organizations' balance alerts (issue 19, item 5) on SQLite and PostgreSQL: a threshold and a
 * webhook on loopback; each crossing below it is told once (also when two instances check at
 * the same moment), the alert re-arms above it, and a webhook URL on a private address is
 * refused unless private destinations are allowed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/user-service";
import { credit } from "@/lib/billing/ledger";
import { ValidationError } from "@/lib/errors/validation-error";
import { checkBalanceAlerts, postAlert, readBalanceAlert, setBalanceAlert, type BalanceAlertEvent } from "@/lib/organizations/balance-alerts";
import { createOrganization } from "@/lib/organizations/organization-service";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

const USD = 1_000_000_000n;
const noDns = async () => [];
const cli = { kind: "cli", osUser: "test" } as const;

describe.each(await availableDatabaseKinds())("balance alerts on %s", (kind) => {
  let t: TestDatabase;
  let hook: Server;
  let hookUrl: string;
  const received: BalanceAlertEvent[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    hook = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        received.push(JSON.parse(body) as BalanceAlertEvent);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`;
  });
  afterAll(async () => {
    await new Promise((resolve) => hook?.close(resolve));
    await t?.drop();
  });

  it("tells each crossing below the threshold once, re-arms above it, and refuses a private webhook unless allowed", async () => {
    const owner = await createUser(t.db, { email: "alerts@example.com", password: "long enough password" });
    const org = await createOrganization(t.db, cli, owner.id, { name: "Alerted" }, { enforceLimits: false });
    await credit(t.db, { userId: org.id, kind: "top_up", amountNanoUsd: 5n * USD, idempotencyKey: "alerts:top-up" });

    const refused = await setBalanceAlert(t.db, cli, org.id, { thresholdUsd: "4", webhookUrl: hookUrl }, { allowPrivate: false, resolve: noDns }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fields.webhookUrl).toMatch(/loopback/);
    const negative = await setBalanceAlert(t.db, cli, org.id, { thresholdUsd: "-1" }, { allowPrivate: true, resolve: noDns }).catch((e: unknown) => e);
    expect((negative as ValidationError).fields).toHaveProperty("thresholdUsd");
    expect((await readBalanceAlert(t.db, org.id)).thresholdNanoUsd).toBeNull();

    const policy = { allowPrivate: true, resolve: noDns };
    await setBalanceAlert(t.db, cli, org.id, { thresholdUsd: "4", webhookUrl: hookUrl }, policy);
    const check = () => checkBalanceAlerts(t.db, { send: postAlert, policy });
    expect(await check()).toEqual({ tripped: [], rearmed: [] });

    await credit(t.db, { userId: org.id, kind: "adjustment", amountNanoUsd: -2n * USD, idempotencyKey: "alerts:spend-1" });
    // Two instances checking at once: one claims the crossing, one webhook.
    const [a, b] = await Promise.all([check(), check()]);
    expect([...a.tripped, ...b.tripped]).toEqual([org.id]);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      type: "balance.below_threshold",
      organization: { id: org.id, name: "Alerted" },
      balance_usd: "3.00",
      threshold_usd: "4.00",
    });
    expect((await readBalanceAlert(t.db, org.id)).trippedAt).not.toBeNull();
    expect(await check()).toEqual({ tripped: [], rearmed: [] });
    expect(received).toHaveLength(1);

    await credit(t.db, { userId: org.id, kind: "top_up", amountNanoUsd: 10n * USD, idempotencyKey: "alerts:top-up-2" });
    expect(await check()).toEqual({ tripped: [], rearmed: [org.id] });
    expect((await readBalanceAlert(t.db, org.id)).trippedAt).toBeNull();
    await credit(t.db, { userId: org.id, kind: "adjustment", amountNanoUsd: -12n * USD, idempotencyKey: "alerts:spend-2" });
    expect((await check()).tripped).toEqual([org.id]);
    expect(received.map((e) => e.balance_usd)).toEqual(["3.00", "1.00"]);
    expect(await t.db.auditEvent.count({ where: { action: "organization.balance_alert", targetId: org.id } })).toBe(1);
  });
});
