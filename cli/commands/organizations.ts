/**
 * Organizations from the shell: the operator creates them, adds members directly (no
 * invitation), sets member credit limits and lists them. Each change is audited with the CLI
 * as its actor; the instance's creation and join limits are for the console, not the operator.
 */
import { parseArgs } from "node:util";
import { cliActor } from "../../lib/audit/audit-log.ts";
import { findUserByEmail, type AccountUser } from "../../lib/auth/user-service.ts";
import type { Db } from "../../lib/db/client.ts";
import { formatNanoUsd } from "../../lib/gateway/metering/money.ts";
import { addMember, setMemberLimits } from "../../lib/organizations/membership-service.ts";
import type { OrganizationRole } from "../../lib/organizations/organization-input.ts";
import { activeMembership, createOrganization, findOrganization, listAllOrganizations } from "../../lib/organizations/organization-service.ts";
import { CliError, type CliCommand } from "../command.ts";
import { withDb } from "../database.ts";

export async function personByEmail(db: Db, email: string): Promise<AccountUser> {
  const person = await findUserByEmail(db, email);
  if (!person) throw new CliError(`no account with email ${email}`);
  return person;
}

export async function organizationNamed(db: Db, nameOrId: string): Promise<{ id: string; name: string }> {
  const organization = await findOrganization(db, nameOrId);
  if (!organization) throw new CliError(`no organization named "${nameOrId}" (org:list lists them)`);
  return organization;
}

/** The person's active membership in the organization, or a CliError saying they are not a member. */
export async function membershipIn(db: Db, organization: { id: string; name: string }, person: AccountUser) {
  const membership = await activeMembership(db, organization.id, person.id);
  if (!membership) throw new CliError(`${person.email} is not a member of ${organization.name} (org:add-member adds them)`);
  return membership;
}

export const orgCreate: CliCommand = {
  name: "org:create",
  summary: "Create an organization (its own balance, keys and activity) with an existing account as its first admin",
  usage: "org:create --name N --owner EMAIL [--logo URL]",
  async run(args) {
    const { values } = parseArgs({ args, strict: true, options: { name: { type: "string" }, owner: { type: "string" }, logo: { type: "string" } } });
    if (values.name === undefined || !values.owner) throw new CliError("org:create needs --name and --owner");
    const organization = await withDb(async (db) => {
      const owner = await personByEmail(db, values.owner!);
      return createOrganization(db, cliActor(), owner.id, { name: values.name!, logoUrl: values.logo }, { enforceLimits: false });
    });
    console.log(`created organization ${organization.name} (${organization.id}); ${values.owner} is its admin`);
    return 0;
  },
};

const ROLES: readonly string[] = ["admin", "member"];

export const orgAddMember: CliCommand = {
  name: "org:add-member",
  summary: "Add an existing account to an organization with a role, without an invitation",
  usage: "org:add-member --org N --email E --role admin|member",
  async run(args) {
    const { values } = parseArgs({ args, strict: true, options: { org: { type: "string" }, email: { type: "string" }, role: { type: "string" } } });
    if (!values.org || !values.email || !values.role) throw new CliError("org:add-member needs --org, --email and --role");
    if (!ROLES.includes(values.role)) throw new CliError(`--role must be admin or member, got "${values.role}"`);
    const organization = await withDb(async (db) => {
      const organization = await organizationNamed(db, values.org!);
      const person = await personByEmail(db, values.email!);
      await addMember(db, cliActor(), { organizationId: organization.id, userId: person.id, role: values.role as OrganizationRole, enforceLimits: false });
      return organization;
    });
    console.log(`added ${values.email} to ${organization.name} as ${values.role}`);
    return 0;
  },
};

export const orgLimit: CliCommand = {
  name: "org:limit",
  summary: "Set a member's credit limits in an organization (USD; 'none' removes one; periods are UTC calendar days, ISO weeks and months)",
  usage: "org:limit --org N --email E [--day USD] [--week USD] [--month USD] [--total USD]",
  async run(args) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        org: { type: "string" },
        email: { type: "string" },
        day: { type: "string" },
        week: { type: "string" },
        month: { type: "string" },
        total: { type: "string" },
      },
    });
    if (!values.org || !values.email) throw new CliError("org:limit needs --org and --email");
    const periods = ["day", "week", "month", "total"] as const;
    if (periods.every((p) => values[p] === undefined)) throw new CliError("org:limit needs at least one of --day, --week, --month, --total");
    const limits = Object.fromEntries(periods.filter((p) => values[p] !== undefined).map((p) => [p, values[p] === "none" ? null : values[p]]));
    const credit = await withDb(async (db) => {
      const organization = await organizationNamed(db, values.org!);
      const membership = await membershipIn(db, organization, await personByEmail(db, values.email!));
      return setMemberLimits(db, cliActor(), organization.id, membership.id, limits);
    });
    const shown = periods.map((p) => `${p} ${credit[p].limitNanoUsd === null ? "none" : `$${formatNanoUsd(credit[p].limitNanoUsd!)}`}`);
    console.log(`limits of ${values.email} in ${values.org}: ${shown.join(", ")}`);
    return 0;
  },
};

export const orgList: CliCommand = {
  name: "org:list",
  summary: "List organizations with their balance, members and admins",
  usage: "org:list",
  async run(args) {
    parseArgs({ args, strict: true, options: {} });
    const organizations = await withDb((db) => listAllOrganizations(db));
    if (organizations.length === 0) {
      console.log("no organizations yet (npm run cli -- org:create --name N --owner EMAIL)");
      return 0;
    }
    for (const o of organizations) {
      console.log(
        `${o.name}\t${o.id}\tbalance $${formatNanoUsd(o.balanceNanoUsd)}\t${o.members} member${o.members === 1 ? "" : "s"} (${o.admins} admin${o.admins === 1 ? "" : "s"})`,
      );
    }
    return 0;
  },
};
