import { parseArgs } from "node:util";
import { cliActor } from "../../lib/audit/audit-log.ts";
import { resolveCredentialsSecret } from "../../lib/provider-config/credential-secret.ts";
import { rotateCredentials } from "../../lib/provider-config/rotate-credentials.ts";
import { CliError, type CliCommand } from "../command.ts";
import { withDb } from "../database.ts";

/**
 * Secrets come from the environment, never from arguments (which `ps` shows to every
 * user on the machine).
 */
export const credentialsRotate: CliCommand = {
  name: "credentials:rotate",
  summary:
    "Re-encrypt stored provider credentials under NEW_CREDENTIALS_SECRET. The old secret is OLD_CREDENTIALS_SECRET, else the current one (CREDENTIALS_SECRET, AUTH_SECRET or DATA_DIR/auth-secret). All or nothing; then restart every instance with CREDENTIALS_SECRET set to the new secret",
  usage: "credentials:rotate [--dry-run]   (env: NEW_CREDENTIALS_SECRET, optional OLD_CREDENTIALS_SECRET)",
  async run(args) {
    const { values } = parseArgs({ args, strict: true, options: { "dry-run": { type: "boolean" } } });
    const to = process.env.NEW_CREDENTIALS_SECRET?.trim();
    if (!to) throw new CliError("set NEW_CREDENTIALS_SECRET to the new secret (at least 32 random characters, e.g. `openssl rand -base64 32`)");
    if (to.length < 32) throw new CliError("NEW_CREDENTIALS_SECRET must be at least 32 characters");
    const from = process.env.OLD_CREDENTIALS_SECRET?.trim() || resolveCredentialsSecret(process.env)?.secret;
    if (!from) throw new CliError("no current secret: set OLD_CREDENTIALS_SECRET (or CREDENTIALS_SECRET / AUTH_SECRET, or run where DATA_DIR/auth-secret is)");
    const dryRun = values["dry-run"] ?? false;
    const result = await withDb((db) => rotateCredentials(db, { from, to }, { dryRun, actor: cliActor() }));
    if (result.unreadable.length > 0)
      throw new CliError(
        `nothing changed: the old secret cannot decrypt the credentials of ${result.unreadable.join(", ")} (enter them again in the console, or pass the right OLD_CREDENTIALS_SECRET)`,
      );
    console.log(
      `${dryRun ? "would re-encrypt" : "re-encrypted"} ${result.rotated.length} credential${result.rotated.length === 1 ? "" : "s"}${result.rotated.length ? ` (${result.rotated.join(", ")})` : ""}; ${result.alreadyCurrent.length} already under the new secret`,
    );
    if (!dryRun && result.rotated.length > 0) console.log("now restart every instance with CREDENTIALS_SECRET set to the new secret");
    return 0;
  },
};
