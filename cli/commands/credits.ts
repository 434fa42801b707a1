import { parseArgs } from "node:util";
import { cliActor } from "../../lib/audit/audit-log.ts";
import { creditAsAdmin } from "../../lib/billing/admin-credit.ts";
import { livenessTimings } from "../../lib/billing/instance-registry.ts";
import { verifyLedger } from "../../lib/billing/ledger.ts";
import { formatNanoUsd, parseSignedUsdToNano } from "../../lib/gateway/metering/money.ts";
import { CliError, type CliCommand } from "../command.ts";
import { withDb } from "../database.ts";
import { organizationNamed, personByEmail } from "./organizations.ts";

function toNano(text: string): bigint {
  const nano = parseSignedUsdToNano(text);
  if (nano === null) throw new CliError(`--usd must be an amount like 10 or 2.50 (negative only for an adjustment), got "${text}"`);
  return nano;
}

export const creditsGrant: CliCommand = {
  name: "credits:grant",
  summary: "Add credit to an account or, with --org, an organization (a top-up), or with --adjust a signed admin adjustment",
  usage: "credits:grant (--email E | --org N) --usd N [--reason TEXT] [--adjust]   (a negative adjustment: --usd=-N --adjust)",
  async run(args) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { email: { type: "string" }, org: { type: "string" }, usd: { type: "string" }, reason: { type: "string" }, adjust: { type: "boolean" } },
    });
    if (!values.email === !values.org || values.usd === undefined) throw new CliError("credits:grant needs --usd and one of --email or --org");
    const amount = toNano(values.usd);
    if (amount === 0n) throw new CliError("--usd must not be 0");
    if (amount < 0n && !values.adjust) throw new CliError("a negative amount is an adjustment: add --adjust and a --reason");
    const balance = await withDb(async (db) => {
      const user = values.org
        ? await organizationNamed(db, values.org).then((o) => ({ id: o.id, email: `organization ${o.name}` }))
        : await personByEmail(db, values.email!);
      // The console's path: ledger entry, balance and audit row (actor: the CLI) in one transaction.
      await creditAsAdmin(
        db,
        cliActor(),
        user,
        { usd: amount, reason: values.reason ?? "granted from the CLI" },
        { kind: values.adjust ? "adjustment" : "top_up" },
      );
      return (await db.user.findUniqueOrThrow({ where: { id: user.id } })).balanceNanoUsd;
    });
    console.log(
      `${values.adjust ? "adjusted" : "granted"} $${formatNanoUsd(amount)} for ${values.email ?? values.org}; balance now $${formatNanoUsd(balance)}`,
    );
    return 0;
  },
};

export const ledgerVerify: CliCommand = {
  name: "ledger:verify",
  summary:
    "Check that every account's balance equals its ledger sum and report money held by dead or restarted instances and charges without an activity row (exit 1 if anything is found)",
  usage: "ledger:verify",
  async run(args) {
    parseArgs({ args, strict: true, options: {} });
    const { accounts, mismatches, memberMismatches, orphanedHolds, chargesWithoutRecord } = await withDb((db) =>
      verifyLedger(db, { staleMs: livenessTimings(process.env).staleMs }),
    );
    for (const m of mismatches) {
      console.error(
        `${m.email}: balance $${formatNanoUsd(m.balanceNanoUsd)} vs ledger $${formatNanoUsd(m.ledgerSumNanoUsd)}; held $${formatNanoUsd(m.reservedNanoUsd)} vs open reservations and balance leases $${formatNanoUsd(m.openReservationsNanoUsd)}`,
      );
    }
    for (const m of memberMismatches) {
      console.error(
        `organization ${m.organizationId}, member ${m.userId}: held $${formatNanoUsd(m.reservedNanoUsd)} vs their keys' open reservations and balance leases $${formatNanoUsd(m.openHoldsNanoUsd)}`,
      );
    }
    for (const h of orphanedHolds) {
      console.error(
        `${h.email}: $${formatNanoUsd(h.heldNanoUsd)} held by ${h.reservations} orphaned reservation${h.reservations === 1 ? "" : "s"} or balance lease${h.reservations === 1 ? "" : "s"} (${h.reasons.join(", ")}); a running instance's sweeper or the owner's restart releases it`,
      );
    }
    for (const c of chargesWithoutRecord) {
      console.error(
        `generation ${c.generationId} (user ${c.userId}): charged $${formatNanoUsd(c.chargedNanoUsd)} at ${c.chargedAt.toISOString()} but has no activity row`,
      );
    }
    if (mismatches.length > 0 || memberMismatches.length > 0 || orphanedHolds.length > 0 || chargesWithoutRecord.length > 0) return 1;
    console.log(
      `ok: ${accounts} account${accounts === 1 ? "" : "s"}, every balance equals its ledger sum and every hold its open reservations and balance leases; no orphaned holds; every charge has its activity row`,
    );
    return 0;
  },
};
