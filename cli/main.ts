/**
 * `npm run cli -- <command> [options]`. Errors are one clear line on stderr and a
 * non-zero exit; `--help` lists the commands.
 */
import { CliError, type CliCommand } from "./command.ts";
import { catalogCheck } from "./commands/catalog-check.ts";
import { creditsGrant, ledgerVerify } from "./commands/credits.ts";
import { credentialsRotate } from "./commands/credentials.ts";
import { keyCreate, keyRevoke } from "./commands/keys.ts";
import { logsPurge } from "./commands/logs.ts";
import { orgAddMember, orgCreate, orgLimit, orgList } from "./commands/organizations.ts";
import { userCreate, userList } from "./commands/users.ts";

const COMMANDS: CliCommand[] = [
  userCreate,
  userList,
  orgCreate,
  orgAddMember,
  orgLimit,
  orgList,
  keyCreate,
  keyRevoke,
  creditsGrant,
  ledgerVerify,
  logsPurge,
  catalogCheck,
  credentialsRotate,
];

function printHelp() {
  console.log("Usage: npm run cli -- <command> [options]\n\nCommands:");
  for (const command of COMMANDS) console.log(`  ${command.usage}\n      ${command.summary}`);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    printHelp();
    return name ? 0 : 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new CliError(`unknown command "${name}" (npm run cli -- --help lists them)`);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`Usage: npm run cli -- ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // parseArgs throws TypeErrors with a readable message for unknown or malformed options.
    const message =
      error instanceof CliError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
        ? (error as Error).message
        : `unexpected error: ${(error as Error).message}`;
    console.error(`error: ${message}`);
    process.exit(error instanceof CliError ? error.exitCode : 1);
  },
);
