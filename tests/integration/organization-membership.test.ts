/**
 * Organizations' membership rules on SQLite and PostgreSQL (issue 19): creation and join limits,
 * invitations (wrong email, expired, used, cancelled), roles, member credit limits as typed,
 * and "at least one admin" when two admins demote or remove each other at the same moment.
 * Every refusal names its field and changes nothing; every change is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliActor } from "@/lib/audit/audit-log";
import { createUser, findUserByEmail, listUsers, type AccountUser } from "@/lib/auth/user-service";
import { ValidationError } from "@/lib/errors/validation-error";
import {
  acceptInvitation,
  cancelInvitation,
  describeInvitation,
  INVITATION_TTL_MS,
  inviteMembers,
  listPendingInvitations,
} from "@/lib/organizations/invitation-service";
import { addMember, changeMemberRole, listMembers, removeMember, setMemberLimits } from "@/lib/organizations/membership-service";
import { createOrganization, listOrganizationsOf, organizationAccountEmail } from "@/lib/organizations/organization-service";
import { availableDatabaseKinds, createTestDatabase, type TestDatabase } from "@/tests/support/test-database";

/** The field messages of a ValidationError the call must throw. */
async function refusal(promise: Promise<unknown>): Promise<Record<string, string>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fields;
}

describe.each(await availableDatabaseKinds())("organizations' membership rules on %s", (kind) => {
  let t: TestDatabase;
  let people: Record<"ann" | "bob" | "cat" | "dan", AccountUser>;
  const cli = cliActor();

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    process.env.TRIAL_CREDIT_USD = "0";
    const make = (name: string) => createUser(t.db, { email: `${name}@example.com`, password: "long enough password" });
    people = { ann: await make("ann"), bob: await make("bob"), cat: await make("cat"), dan: await make("dan") };
  });
  afterAll(async () => {
    delete process.env.TRIAL_CREDIT_USD;
    await t?.drop();
  });

  const admins = (organizationId: string) => t.db.membership.count({ where: { organizationId, role: "admin", status: "active" } });
  const memberId = async (organizationId: string, userId: string) =>
    (await t.db.membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId, userId } } })).id;

  it("creates an organization as an account of its own, within the instance's creation limit; people lists stay people", async () => {
    const org = await createOrganization(t.db, people.ann, people.ann.id, { name: "  Acme  " }, { enforceLimits: true });
    expect(org).toMatchObject({ name: "Acme", role: "admin" });
    const account = await t.db.user.findUniqueOrThrow({ where: { id: org.id } });
    expect(account).toMatchObject({ kind: "organization", email: organizationAccountEmail(org.id), balanceNanoUsd: 0n, passwordHash: null });
    // The default limit is one organization created per person; the operator's CLI is not bound by it.
    expect(await refusal(createOrganization(t.db, people.ann, people.ann.id, { name: "Second" }, { enforceLimits: true }))).toHaveProperty("name");
    await createOrganization(t.db, cli, people.ann.id, { name: "Beta" }, { enforceLimits: false });
    expect((await listOrganizationsOf(t.db, people.ann.id)).map((o) => o.name)).toEqual(["Acme", "Beta"]);
    expect(await refusal(createOrganization(t.db, cli, people.bob.id, { name: "x".repeat(65) }, { enforceLimits: false }))).toEqual({
      name: "Keep the name to 64 characters or fewer",
    });
    expect((await listUsers(t.db)).map((u) => u.email).sort()).toEqual(["ann@example.com", "bob@example.com", "cat@example.com", "dan@example.com"]);
    expect(await findUserByEmail(t.db, organizationAccountEmail(org.id))).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "organization.create" } })).toBe(2);
  });

  it("invites by email: the link is accepted once, by that email only, within 7 days, unless cancelled", async () => {
    const org = await createOrganization(t.db, cli, people.bob.id, { name: "Invites" }, { enforceLimits: false });
    expect(await refusal(inviteMembers(t.db, people.bob, org.id, { emails: "cat@example.com, not-an-email", role: "member" }))).toHaveProperty(["emails.1"]);
    expect(await refusal(inviteMembers(t.db, people.bob, org.id, { emails: "cat@example.com", role: "owner" }))).toEqual({
      role: 'Role must be "admin" or "member"',
    });
    expect(await listPendingInvitations(t.db, org.id)).toEqual([]);

    const { invited, alreadyMembers } = await inviteMembers(t.db, people.bob, org.id, { emails: "CAT@example.com\nbob@example.com", role: "member" });
    expect(alreadyMembers).toEqual(["bob@example.com"]);
    expect(invited.map((i) => i.email)).toEqual(["cat@example.com"]);
    const token = invited[0].token;
    expect(await describeInvitation(t.db, token)).toMatchObject({ organizationName: "Invites", email: "cat@example.com", role: "member", problem: null });
    expect(await t.db.invitation.count({ where: { tokenHash: token } })).toBe(0); // only its hash is stored

    expect(await refusal(acceptInvitation(t.db, people.dan, token))).toEqual({
      token: "This invitation is for cat@example.com; sign in with that email to accept it",
    });
    expect(await acceptInvitation(t.db, people.cat, token)).toEqual({ organizationId: org.id });
    expect(await refusal(acceptInvitation(t.db, people.cat, token))).toEqual({ token: "This invitation was already used" });
    expect((await listMembers(t.db, org.id)).map((m) => [m.email, m.role])).toEqual([
      ["bob@example.com", "admin"],
      ["cat@example.com", "member"],
    ]);

    const past = new Date(Date.now() - INVITATION_TTL_MS - 60_000);
    const stale = (await inviteMembers(t.db, people.bob, org.id, { emails: "dan@example.com", role: "admin" }, past)).invited[0];
    expect((await refusal(acceptInvitation(t.db, people.dan, stale.token))).token).toMatch(/^This invitation has expired/);
    const cancelled = (await inviteMembers(t.db, people.bob, org.id, { emails: "dan@example.com", role: "admin" })).invited[0];
    await cancelInvitation(t.db, people.bob, org.id, cancelled.id);
    expect((await refusal(acceptInvitation(t.db, people.dan, cancelled.token))).token).toMatch(/^This invitation was cancelled/);
    expect(await t.db.membership.count({ where: { organizationId: org.id, userId: people.dan.id } })).toBe(0);
    expect(
      await t.db.auditEvent.count({
        where: { targetId: org.id, action: { in: ["organization.invite", "organization.invite.cancel", "organization.member.add"] } },
      }),
    ).toBe(5);
  });

  it("refuses member limits that are not amounts of at least zero, and a role that does not exist, changing nothing", async () => {
    const org = await createOrganization(t.db, cli, people.cat.id, { name: "Limits" }, { enforceLimits: false });
    const { membershipId } = await addMember(t.db, cli, { organizationId: org.id, userId: people.dan.id, role: "member", enforceLimits: false });
    expect(await refusal(setMemberLimits(t.db, people.cat, org.id, membershipId, { day: "-1" }))).toHaveProperty("day");
    expect(await refusal(setMemberLimits(t.db, people.cat, org.id, membershipId, { week: "ten dollars" }))).toHaveProperty("week");
    expect(await refusal(changeMemberRole(t.db, people.cat, org.id, membershipId, "owner"))).toEqual({ role: 'Role must be "admin" or "member"' });
    const credit = await setMemberLimits(t.db, people.cat, org.id, membershipId, { day: "2.50", month: 40 });
    expect(credit.day).toEqual({ limitNanoUsd: 2_500_000_000n, spentNanoUsd: 0n, leftNanoUsd: 2_500_000_000n });
    expect(credit.month.limitNanoUsd).toBe(40_000_000_000n);
    expect(credit.total.limitNanoUsd).toBeNull();
    // A field left out stays; an empty one removes the limit.
    const cleared = await setMemberLimits(t.db, people.cat, org.id, membershipId, { day: "" });
    expect([cleared.day.limitNanoUsd, cleared.month.limitNanoUsd]).toEqual([null, 40_000_000_000n]);
    expect(await t.db.auditEvent.count({ where: { targetId: org.id, action: "organization.member.limits" } })).toBe(2);
  });

  it("keeps at least one admin: the last one can be neither demoted nor removed, also when two admins act on each other at once", async () => {
    const org = await createOrganization(t.db, cli, people.dan.id, { name: "Admins" }, { enforceLimits: false });
    const dan = await memberId(org.id, people.dan.id);
    expect(await refusal(changeMemberRole(t.db, people.dan, org.id, dan, "member"))).toHaveProperty("role");
    expect(await refusal(removeMember(t.db, people.dan, org.id, dan))).toHaveProperty("role");

    const { membershipId: ann } = await addMember(t.db, cli, { organizationId: org.id, userId: people.ann.id, role: "admin", enforceLimits: false });
    for (let round = 0; round < 8; round++) {
      // Each demotes the other (or removes, every other round) at the same moment: exactly one wins.
      const act = (who: string) => (round % 2 === 0 ? changeMemberRole(t.db, cli, org.id, who, "member") : removeMember(t.db, cli, org.id, who));
      const outcomes = await Promise.allSettled([act(dan), act(ann)]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(ValidationError);
      expect(await admins(org.id)).toBe(1);
      // Back to two admins for the next round.
      const members = await t.db.membership.findMany({ where: { organizationId: org.id } });
      for (const m of members) {
        if (m.status === "removed") await addMember(t.db, cli, { organizationId: org.id, userId: m.userId, role: "admin", enforceLimits: false });
        else if (m.role !== "admin") await changeMemberRole(t.db, cli, org.id, m.id, "admin");
      }
      expect(await admins(org.id)).toBe(2);
    }
  });
});
