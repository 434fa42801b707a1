/**
 * Organizations through the real server (issue 19), on SQLite and PostgreSQL: an organization's
 * members spend its one balance through their own keys; two organizations and a member's
 * personal account stay apart (balances, keys, activity, the key API's balance and generation
 * records); 200 simultaneous calls by two members against a balance that pays for 60 serve
 * exactly 60; 200 by one member against a day limit that pays for 30 serve exactly 30, with a
 * 402 naming the limit, while another member goes on; and a removed member's key is refused by
 * a second server within a second. The model costs a flat $0.01 a call, so counts are exact.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, type AccountUser } from "@/lib/auth/user-service";
import { credit, verifyLedger } from "@/lib/billing/ledger";
import { createDb, type Db } from "@/lib/db/client";
import { createApiKeyInputSchema } from "@/lib/keys/api-key-input";
import { createApiKey, listApiKeys } from "@/lib/keys/api-key-service";
import { addMember, removeMember, setMemberLimits } from "@/lib/organizations/membership-service";
import { createOrganization } from "@/lib/organizations/organization-service";
import { balanceOf } from "@/tests/support/account-with-key";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { pollFor } from "@/tests/support/poll";
import { startSwitchyard, type SwitchyardProcess } from "@/tests/support/switchyard-process";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

const CENT = 10_000_000n;
const cli = { kind: "cli", osUser: "test" } as const;

async function call(url: string, key: string, i: number): Promise<{ status: number; id: string | null; body: string }> {
  const stream = i % 2 === 1;
  const response = await fetch(`${url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "test/flat", max_tokens: 5, stream, messages: [{ role: "user", content: `org ${i}` }] }),
  });
  return { status: response.status, id: response.headers.get("x-request-id"), body: await response.text() };
}

/**
 * Calls that neither answered nor were refused by billing may only be the fake upstream failing
 * to take a connection when the box is loaded (200 at once to one server, beside other suites):
 * a 502 the client sees, never charged (checked by the exact counts after). What the transport
 * said is logged, so a run that has them shows why.
 */
async function expectOnlyUnreachableFailures(db: Db, outcomes: { status: number; id: string | null; body: string }[]): Promise<number> {
  const failed = outcomes.filter((o) => o.status !== 200 && o.status !== 402);
  expect(failed.filter((o) => o.status !== 502 || !o.body.includes("provider_unreachable")).map((o) => `${o.status} ${o.body.slice(0, 200)}`)).toEqual([]);
  if (failed.length === 0) return 0;
  const attempts = await pollFor("the failed calls' records", async () => {
    const rows = await db.generationAttempt.findMany({ where: { generationId: { in: failed.map((o) => o.id!) } }, select: { errorMessage: true } });
    return rows.length >= failed.length && rows;
  });
  console.info(
    `${failed.length} of ${outcomes.length} calls could not reach the fake upstream: ${[...new Set(attempts.map((a) => a.errorMessage))].join("; ")}`,
  );
  expect(failed.length).toBeLessThan(20);
  return failed.length;
}

/**
 * Exactly `payable` calls served when every call reached the upstream. A call that failed held
 * money while it was tried, so calls refused meanwhile may leave up to one served call less per
 * failure; never more than `payable`.
 */
function expectServed(outcomes: { status: number }[], payable: number, failures: number): void {
  const served = outcomes.filter((o) => o.status === 200).length;
  expect(served).toBeLessThanOrEqual(payable);
  expect(served).toBeGreaterThanOrEqual(payable - failures);
}

async function person(db: Db, name: string): Promise<AccountUser> {
  return createUser(db, { email: `${name}-${randomUUID().slice(0, 8)}@example.com`, password: "long enough password" });
}

async function keyFor(db: Db, accountId: string, name: string, membershipId: string | null = null): Promise<{ key: string; id: string }> {
  const input = createApiKeyInputSchema.parse({ name, rpmLimit: 10_000 });
  const { key, summary } = await createApiKey(db, accountId, input, new Set(), undefined, { membershipId });
  return { key, id: summary.id };
}

const balance = async (db: Db, id: string) => (await db.user.findUniqueOrThrow({ where: { id } })).balanceNanoUsd;

/** Waits until the server's leases are returned and every hold released, so balances are final. */
const settled = (db: Db, accountId: string) =>
  pollFor(
    `account ${accountId} to hold nothing`,
    async () => {
      const [account, leases] = await Promise.all([db.user.findUniqueOrThrow({ where: { id: accountId } }), db.lease.count({ where: { userId: accountId } })]);
      return account.reservedNanoUsd === 0n && leases === 0 && account;
    },
    30_000,
    100,
  );

describe.each(await availableDatabaseKinds())("organizations through the server on %s", (kind) => {
  let gw: GatewayFixture;
  let second: SwitchyardProcess | undefined;
  let db: Db;
  let dropTarget: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const target = kind === "postgres" ? await createTestTarget("postgres") : null;
    dropTarget = target?.dropTarget;
    // Leases are returned quickly, so balances settle soon after each race.
    gw = await startGatewayFixture({ LEASE_IDLE_MS: "500", FIRST_TOKEN_TIMEOUT_MS: "30000", TRIAL_CREDIT_USD: "0" }, target ? { database: target.target } : {});
    db = createDb(gw.dbTarget);
    process.env.TRIAL_CREDIT_USD = "0";
  });
  afterAll(async () => {
    delete process.env.TRIAL_CREDIT_USD;
    if (second) expect(await second.stop()).toBe(0);
    await gw?.stop();
    await db?.$disconnect();
    await dropTarget?.();
  });

  it("keeps two organizations and a member's personal account apart: balances, keys, activity and the key API", async () => {
    const ann = await person(db, "ann");
    const acme = await createOrganization(db, cli, ann.id, { name: "Acme" }, { enforceLimits: false });
    const beta = await createOrganization(db, cli, ann.id, { name: "Beta" }, { enforceLimits: false });
    const acmeMember = await db.membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId: acme.id, userId: ann.id } } });
    const betaMember = await db.membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId: beta.id, userId: ann.id } } });
    for (const [id, cents] of [
      [ann.id, 100n],
      [acme.id, 200n],
      [beta.id, 300n],
    ] as const)
      await credit(db, { userId: id, kind: "top_up", amountNanoUsd: cents * CENT, idempotencyKey: `isolation:${id}` });
    const keys = {
      personal: await keyFor(db, ann.id, "personal"),
      acme: await keyFor(db, acme.id, "acme", acmeMember.id),
      beta: await keyFor(db, beta.id, "beta", betaMember.id),
    };

    const calls = { personal: 1, acme: 2, beta: 3 } as const;
    const ids: Record<string, string[]> = { personal: [], acme: [], beta: [] };
    for (const [which, count] of Object.entries(calls) as [keyof typeof calls, number][]) {
      for (let i = 0; i < count; i++) {
        const outcome = await call(gw.url, keys[which].key, i);
        expect(outcome.status, outcome.body).toBe(200);
        ids[which].push(outcome.id!);
      }
    }
    await Promise.all([ann.id, acme.id, beta.id].map((id) => settled(db, id)));
    expect([await balance(db, ann.id), await balance(db, acme.id), await balance(db, beta.id)]).toEqual([99n * CENT, 198n * CENT, 297n * CENT]);
    // The key API answers for the key's own account.
    expect((await balanceOf(gw.url, keys.acme.key)).total_credits).toBeCloseTo(1.98, 9);
    expect((await balanceOf(gw.url, keys.beta.key)).total_credits).toBeCloseTo(2.97, 9);
    expect((await balanceOf(gw.url, keys.personal.key)).total_credits).toBeCloseTo(0.99, 9);
    const record = (id: string, key: string) => fetch(`${gw.url}/api/v1/generation?id=${id}`, { headers: { authorization: `Bearer ${key}` } });
    const acmeCall = await pollFor("the Acme call's record", async () => {
      const response = await record(ids.acme[0], keys.acme.key);
      return response.status === 200 && response;
    });
    expect(acmeCall.status).toBe(200);
    expect((await record(ids.acme[0], keys.personal.key)).status).toBe(404);
    expect((await record(ids.acme[0], keys.beta.key)).status).toBe(404);

    // Activity rows belong to the account that paid; keys are listed per account.
    await pollFor("every activity row", async () => (await db.generation.count({ where: { id: { in: Object.values(ids).flat() } } })) === 6);
    for (const [which, accountId] of [
      ["personal", ann.id],
      ["acme", acme.id],
      ["beta", beta.id],
    ] as const) {
      const rows = await db.generation.findMany({ where: { userId: accountId }, select: { id: true } });
      expect(rows.map((r) => r.id).sort()).toEqual([...ids[which]].sort());
      expect((await listApiKeys(db, accountId)).map((k) => k.name)).toEqual([which]);
    }
    const report = await verifyLedger(db);
    expect(report.mismatches).toEqual([]);
    expect(report.memberMismatches).toEqual([]);
  });

  it("200 calls by two members against a balance that pays for 60 serve exactly 60, and a day limit that pays for 30 stops that member at 30", async () => {
    const [owner, member] = [await person(db, "owner"), await person(db, "member")];
    const org = await createOrganization(db, cli, owner.id, { name: `Race ${kind}` }, { enforceLimits: false });
    const { membershipId: memberId } = await addMember(db, cli, { organizationId: org.id, userId: member.id, role: "member", enforceLimits: false });
    const ownerId = (await db.membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId: org.id, userId: owner.id } } })).id;
    await credit(db, { userId: org.id, kind: "top_up", amountNanoUsd: 60n * CENT, idempotencyKey: `race:${org.id}` });
    const ownerKey = await keyFor(db, org.id, "owner's", ownerId);
    const memberKeys = [await keyFor(db, org.id, "member's first", memberId), await keyFor(db, org.id, "member's second", memberId)];

    const race = await Promise.all(Array.from({ length: 200 }, (_, i) => call(gw.url, i % 2 === 0 ? ownerKey.key : memberKeys[i % 4 === 1 ? 0 : 1].key, i)));
    const raceFailures = await expectOnlyUnreachableFailures(db, race);
    expectServed(race, 60, raceFailures);
    for (const refused of race.filter((o) => o.status === 402)) expect(JSON.parse(refused.body).error.type).toBe("reject_no_credit");
    await settled(db, org.id);
    expect(await balance(db, org.id)).toBe(BigInt(60 - race.filter((o) => o.status === 200).length) * CENT);
    expect(await db.ledgerEntry.count({ where: { userId: org.id, kind: "charge" } })).toBe(race.filter((o) => o.status === 200).length);

    // Now a new member with a day limit of $0.30, and money to spare in the organization.
    const limited = await person(db, "limited");
    const { membershipId: limitedId } = await addMember(db, cli, { organizationId: org.id, userId: limited.id, role: "member", enforceLimits: false });
    await credit(db, { userId: org.id, kind: "top_up", amountNanoUsd: 1000n * CENT, idempotencyKey: `race-more:${org.id}` });
    await setMemberLimits(db, cli, org.id, limitedId, { day: "0.30" });
    const limitedKeys = [await keyFor(db, org.id, "limited first", limitedId), await keyFor(db, org.id, "limited second", limitedId)];
    const dayLimited = await Promise.all(Array.from({ length: 200 }, (_, i) => call(gw.url, limitedKeys[i % 2].key, i)));
    const dayFailures = await expectOnlyUnreachableFailures(db, dayLimited);
    expectServed(dayLimited, 30, dayFailures);
    const dayServed = dayLimited.filter((o) => o.status === 200).length;
    for (const refused of dayLimited.filter((o) => o.status === 402)) {
      expect(JSON.parse(refused.body).error).toMatchObject({ type: "member_limit_daily_exceeded", message: expect.stringMatching(/daily credit limit/) });
    }
    // The organization's other members are not bound by it.
    expect((await call(gw.url, ownerKey.key, 0)).status).toBe(200);
    expect((await call(gw.url, memberKeys[0].key, 0)).status).toBe(200);
    await settled(db, org.id);
    expect(await db.membership.findUniqueOrThrow({ where: { id: limitedId } })).toMatchObject({
      reservedNanoUsd: 0n,
      spentDayNanoUsd: BigInt(dayServed) * CENT,
      spentNanoUsd: BigInt(dayServed) * CENT,
    });
    expect(await db.ledgerEntry.count({ where: { userId: org.id, kind: "charge" } })).toBe(race.filter((o) => o.status === 200).length + dayServed + 2);
    const report = await verifyLedger(db);
    expect(report.mismatches).toEqual([]);
    expect(report.memberMismatches).toEqual([]);
  });

  it("applies a lowered member limit within a couple of seconds, though the member's calls were being served from a balance lease", async () => {
    const [admin, member] = [await person(db, "lead"), await person(db, "busy")];
    const org = await createOrganization(db, cli, admin.id, { name: `Limits ${kind}` }, { enforceLimits: false });
    const { membershipId } = await addMember(db, cli, { organizationId: org.id, userId: member.id, role: "member", enforceLimits: false });
    await credit(db, { userId: org.id, kind: "top_up", amountNanoUsd: 1000n * CENT, idempotencyKey: `lowered:${org.id}` });
    const { key } = await keyFor(db, org.id, "busy", membershipId);
    // Steady calls: this server serves them from a lease for the key, sized under no limit at all.
    const outcomes: { at: number; status: number; body: string }[] = [];
    let running = true;
    const traffic = (async () => {
      for (let i = 0; running; i++) outcomes.push({ at: Date.now(), ...(await call(gw.url, key, i)) });
    })();
    await pollFor("a lease for the key", async () => (await db.lease.count({ where: { userId: org.id } })) === 1 && outcomes.length >= 4, 10_000, 25);

    const changedAt = Date.now();
    await setMemberLimits(db, cli, org.id, membershipId, { total: "0" });
    const refused = await pollFor("the lowered limit to refuse the member", async () => outcomes.find((o) => o.status === 402), 5_000, 25);
    running = false;
    await traffic;
    // A change-feed round (twice a second), the lease's give-back, then the next call: well under the seconds
    // the lease's money (a quarter of $10 at $0.01 a call) would otherwise have lasted.
    expect(refused.at - changedAt).toBeLessThan(2000);
    expect(JSON.parse(refused.body).error.type).toBe("member_limit_total_exceeded");
    expect(outcomes.filter((o) => o.status !== 200 && o.status !== 402)).toEqual([]);
    await settled(db, org.id);
    const spent = (await db.membership.findUniqueOrThrow({ where: { id: membershipId } })).spentNanoUsd;
    // Nothing was charged past the change beyond calls already under way when it landed.
    expect(await db.ledgerEntry.count({ where: { userId: org.id, kind: "charge" } })).toBe(Number(spent / CENT));
  });

  it("refuses a removed member's key on a second server within a second", async () => {
    second = await startSwitchyard({ ...gw.env, SWITCHYARD_INSTANCE_ID: `org-${kind}-b` });
    const [admin, leaving] = [await person(db, "admin"), await person(db, "leaving")];
    const org = await createOrganization(db, cli, admin.id, { name: `Removal ${kind}` }, { enforceLimits: false });
    const { membershipId } = await addMember(db, cli, { organizationId: org.id, userId: leaving.id, role: "member", enforceLimits: false });
    await credit(db, { userId: org.id, kind: "top_up", amountNanoUsd: 100n * CENT, idempotencyKey: `removal:${org.id}` });
    const { key } = await keyFor(db, org.id, "leaving", membershipId);
    // Cached as valid on both servers.
    for (const url of [gw.url, second.url]) expect((await call(url, key, 0)).status).toBe(200);

    expect(await removeMember(db, cli, org.id, membershipId)).toEqual({ revokedKeys: 1 });
    const started = Date.now();
    await pollFor("the second server to refuse the removed member's key", async () => (await call(second!.url, key, 0)).status === 401, 5_000, 25);
    expect(Date.now() - started).toBeLessThan(1000);
    const refused = await call(second.url, key, 0);
    expect(JSON.parse(refused.body).error).toMatchObject({ type: "invalid_api_key", message: "This API key has been revoked" });
    expect((await call(gw.url, key, 0)).status).toBe(401);
  });
});
