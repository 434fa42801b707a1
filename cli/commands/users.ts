import { parseArgs } from "node:util";
import { cliActor } from "../../lib/audit/audit-log.ts";
import { createUser, listUsers } from "../../lib/auth/user-service.ts";
import { formatNanoUsd } from "../../lib/gateway/metering/money.ts";
import { CliError, type CliCommand } from "../command.ts";
import { withDb } from "../database.ts";

export const userCreate: CliCommand = {
  name: "user:create",
  summary: "Create an account (the first account is an admin even without --admin)",
  usage: "user:create --email E --password P [--name N] [--admin]",
  async run(args) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" }, admin: { type: "boolean" } },
    });
    if (!values.email || !values.password) throw new CliError("user:create needs --email and --password");
    const user = await withDb((db) =>
      createUser(
        db,
        { email: values.email!, password: values.password!, name: values.name },
        { ...(values.admin ? { role: "admin" as const } : {}), audit: cliActor() },
      ),
    );
    console.log(`created ${user.role} ${user.email} (${user.id})`);
    return 0;
  },
};

export const userList: CliCommand = {
  name: "user:list",
  summary: "List accounts with role, status, keys and balance",
  usage: "user:list",
  async run(args) {
    parseArgs({ args, strict: true, options: {} });
    const users = await withDb((db) => listUsers(db));
    if (users.length === 0) {
      console.log("no users yet (npm run cli -- user:create --email E --password P)");
      return 0;
    }
    const rows = users.map((u) => [
      u.email,
      u.role,
      u.status,
      String(u.keys),
      `$${formatNanoUsd(u.balanceNanoUsd)}`,
      u.createdAt.toISOString().slice(0, 10),
      u.id,
    ]);
    const header = ["EMAIL", "ROLE", "STATUS", "KEYS", "BALANCE", "CREATED", "ID"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const row of [header, ...rows])
      console.log(
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join("  ")
          .trimEnd(),
      );
    return 0;
  },
};
