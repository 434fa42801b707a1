import { parseArgs } from "node:util";
import { cliActor } from "../../lib/audit/audit-log.ts";
import { BUILTIN_CATALOG_PATH, loadCatalogFile, resolveCatalogPath } from "../../lib/catalog/load-catalog.ts";
import { parseInput } from "../../lib/errors/validation-error.ts";
import { createApiKeyInputSchema } from "../../lib/keys/api-key-input.ts";
import { ApiKeyNotFoundError, createApiKey, revokeApiKeyById } from "../../lib/keys/api-key-service.ts";
import { CliError, type CliCommand } from "../command.ts";
import { withDb } from "../database.ts";
import { membershipIn, organizationNamed, personByEmail } from "./organizations.ts";

/** Model slugs as the catalog in force lists them (what the console checks against too). */
function catalogModelSlugs(): Set<string> {
  const loaded = loadCatalogFile(resolveCatalogPath());
  if (!loaded.ok)
    throw new CliError(`the catalog file ${resolveCatalogPath() === BUILTIN_CATALOG_PATH ? "(built-in)" : resolveCatalogPath()} is invalid; run catalog:check`);
  return new Set(loaded.catalog.models.map((m) => m.id));
}

export const keyCreate: CliCommand = {
  name: "key:create",
  summary:
    "Create an API key for an account (with --org, an organization key of member E, spending the organization's balance); prints the key once, alone on its line",
  usage: "key:create --email E [--org N] --name N [--models a,b] [--rpm N] [--tpm N] [--spend-limit USD] [--expires YYYY-MM-DD]",
  async run(args) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        email: { type: "string" },
        org: { type: "string" },
        name: { type: "string" },
        models: { type: "string" },
        rpm: { type: "string" },
        tpm: { type: "string" },
        "spend-limit": { type: "string" },
        expires: { type: "string" },
      },
    });
    if (!values.email || values.name === undefined) throw new CliError("key:create needs --email and --name");
    const input = parseInput(createApiKeyInputSchema, {
      name: values.name,
      allowedModels: values.models
        ? values.models
            .split(",")
            .map((m) => m.trim())
            .filter(Boolean)
        : null,
      rpmLimit: values.rpm ?? null,
      tpmLimit: values.tpm ?? null,
      spendLimitTotalUsd: values["spend-limit"] ?? null,
      expiresAt: values.expires ?? null,
    });
    const { key, summary } = await withDb(async (db) => {
      const person = await personByEmail(db, values.email!);
      if (!values.org) return createApiKey(db, person.id, input, catalogModelSlugs(), { actor: cliActor(), ownerEmail: person.email });
      const organization = await organizationNamed(db, values.org);
      const membership = await membershipIn(db, organization, person);
      return createApiKey(
        db,
        organization.id,
        input,
        catalogModelSlugs(),
        { actor: cliActor(), ownerEmail: `${person.email} in ${organization.name}` },
        { membershipId: membership.id },
      );
    });
    console.error(`created key "${summary.name}" (${summary.id}); it is shown once:`);
    console.log(key);
    return 0;
  },
};

export const keyRevoke: CliCommand = {
  name: "key:revoke",
  summary: "Revoke an API key by id; running servers refuse it within a second",
  usage: "key:revoke --id ID",
  async run(args) {
    const { values } = parseArgs({ args, strict: true, options: { id: { type: "string" } } });
    if (!values.id) throw new CliError("key:revoke needs --id");
    try {
      const revoked = await withDb((db) => revokeApiKeyById(db, values.id!, cliActor()));
      console.log(`revoked key "${revoked.name}" (${values.id})`);
    } catch (error) {
      if (error instanceof ApiKeyNotFoundError) throw new CliError(`no API key with id ${values.id}`);
      throw error;
    }
    return 0;
  },
};
