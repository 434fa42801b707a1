/**
 * The admin console's provider service: list, create, edit, enable/disable, each change
 * and its audit row in one transaction. Catalog-file providers can have a credential
 * stored without changing their origin; any other edit moves them to the console
 * (source "admin"), after which catalog syncs leave them alone and the base URL policy
 * applies to them. Callers invalidate the catalog snapshot after a change.
 */
import type { Db } from "../db/client.ts";
import { recordAuditEvent, type AuditActor } from "../audit/audit-log.ts";
import { maskSecret } from "../audit/mask-secrets.ts";
import type { AdapterKind } from "../gateway/providers/adapter-kind.ts";
import type { ProviderSource } from "../gateway/catalog-view/catalog-types.ts";
import { readCredentialEnv } from "../catalog/credential-env-name.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";
import { CredentialDecryptError, credentialContext, type CredentialCipher } from "./credential-cipher.ts";
import type { AdminProviderDto } from "./provider-dto.ts";
import { NotFoundError } from "../errors/not-found-error.ts";
import { createProviderSchema, updateProviderSchema } from "./provider-input.ts";
import { checkUpstreamUrl, type HostResolver } from "./url-policy.ts";
import { isUniqueViolation } from "../db/db-errors.ts";

export type ProviderAdminDeps = {
  db: Db;
  /** null when the server has no secret: storing a credential is then refused */
  cipher: CredentialCipher | null;
  env: Readonly<Record<string, string | undefined>>;
  allowPrivate: boolean;
  resolve: HostResolver;
};

type ProviderRow = Awaited<ReturnType<Db["provider"]["findUniqueOrThrow"]>>;

/** The stored credential in clear (server side only), or why it cannot be read. */
export function readStoredCredential(
  row: Pick<ProviderRow, "slug" | "credentialEncrypted">,
  cipher: CredentialCipher | null,
): { value: string | null; problem: string | null } {
  if (!row.credentialEncrypted) return { value: null, problem: null };
  if (!cipher) return { value: null, problem: "the server has no CREDENTIALS_SECRET or AUTH_SECRET to decrypt it" };
  try {
    return { value: cipher.decrypt(row.credentialEncrypted, credentialContext(row.slug)), problem: null };
  } catch (error) {
    return {
      value: null,
      problem:
        error instanceof CredentialDecryptError && error.reason === "other_key"
          ? "it was encrypted with another secret; enter it again or run credentials:rotate"
          : "it cannot be decrypted; enter it again",
    };
  }
}

function toDto(row: ProviderRow, counts: { endpoints: number; enabledEndpoints: number }, deps: Pick<ProviderAdminDeps, "cipher" | "env">): AdminProviderDto {
  const stored = readStoredCredential(row, deps.cipher);
  const envSet = readCredentialEnv(deps.env, row.apiKeyEnv) !== null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    adapter: row.adapter as AdapterKind,
    baseUrl: row.baseUrl,
    enabled: row.enabled,
    source: row.source === "admin" ? "admin" : "catalog",
    ...counts,
    credential: {
      effective: envSet ? "environment" : stored.value ? "stored" : "none",
      envVar: row.apiKeyEnv,
      envSet,
      stored: row.credentialEncrypted !== null,
      storedHint: stored.value !== null ? maskSecret(stored.value) : null,
      storedProblem: stored.problem,
    },
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit log keeps: the fields, and the credential for recordAuditEvent to mask. */
function auditView(row: ProviderRow, cipher: CredentialCipher | null) {
  return {
    slug: row.slug,
    name: row.name,
    adapter: row.adapter,
    baseUrl: row.baseUrl,
    enabled: row.enabled,
    source: row.source,
    credential: readStoredCredential(row, cipher).value,
  };
}

async function endpointCounts(db: Db, providerIds: string[]) {
  const rows = await db.endpoint.groupBy({ by: ["providerId", "enabled"], where: { providerId: { in: providerIds } }, _count: { _all: true } });
  const counts = new Map<string, { endpoints: number; enabledEndpoints: number }>();
  for (const row of rows) {
    const entry = counts.get(row.providerId) ?? { endpoints: 0, enabledEndpoints: 0 };
    entry.endpoints += row._count._all;
    if (row.enabled) entry.enabledEndpoints += row._count._all;
    counts.set(row.providerId, entry);
  }
  return (id: string) => counts.get(id) ?? { endpoints: 0, enabledEndpoints: 0 };
}

export async function listAdminProviders(deps: ProviderAdminDeps): Promise<AdminProviderDto[]> {
  const rows = await deps.db.provider.findMany({ orderBy: { slug: "asc" } });
  const countsOf = await endpointCounts(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toDto(row, countsOf(row.id), deps));
}

async function checkBaseUrl(raw: string, deps: ProviderAdminDeps): Promise<string> {
  const result = await checkUpstreamUrl(raw, { allowPrivate: deps.allowPrivate, resolve: deps.resolve });
  if (!result.ok) throw new ValidationError({ baseUrl: result.message });
  return result.url;
}

function encryptCredential(deps: ProviderAdminDeps, slug: string, credential: string): string {
  if (!deps.cipher) throw new ValidationError({ credential: "The server has no CREDENTIALS_SECRET or AUTH_SECRET, so it cannot store credentials" });
  return deps.cipher.encrypt(credential, credentialContext(slug));
}

export async function createAdminProvider(deps: ProviderAdminDeps, actor: AuditActor, input: unknown): Promise<AdminProviderDto> {
  const parsed = parseInput(createProviderSchema, input);
  const baseUrl = await checkBaseUrl(parsed.baseUrl, deps);
  if (await deps.db.provider.findUnique({ where: { slug: parsed.slug } }))
    throw new ValidationError({ slug: `A provider with the slug ${parsed.slug} already exists` });
  const credentialEncrypted = parsed.credential ? encryptCredential(deps, parsed.slug, parsed.credential) : null;
  try {
    const row = await deps.db.$transaction(async (tx) => {
      const created = await tx.provider.create({
        data: { slug: parsed.slug, name: parsed.name, adapter: parsed.adapter, baseUrl, enabled: parsed.enabled ?? true, source: "admin", credentialEncrypted },
      });
      await recordAuditEvent(tx, {
        actor,
        action: "provider.create",
        targetType: "provider",
        targetId: created.id,
        targetLabel: created.slug,
        after: auditView(created, deps.cipher),
      });
      return created;
    });
    return toDto(row, { endpoints: 0, enabledEndpoints: 0 }, deps);
  } catch (error) {
    // Two admins racing for one slug: the second gets the same message as above.
    if (isUniqueViolation(error)) throw new ValidationError({ slug: `A provider with the slug ${parsed.slug} already exists` });
    throw error;
  }
}

function actionFor(before: ProviderRow, after: ProviderRow, fieldsChanged: boolean): string {
  if (!fieldsChanged) return "provider.credential.update";
  const onlyEnabled = before.name === after.name && before.adapter === after.adapter && before.baseUrl === after.baseUrl && before.enabled !== after.enabled;
  if (onlyEnabled) return after.enabled ? "provider.enable" : "provider.disable";
  return "provider.update";
}

export async function updateAdminProvider(deps: ProviderAdminDeps, actor: AuditActor, id: string, input: unknown): Promise<AdminProviderDto> {
  const parsed = parseInput(updateProviderSchema, input);
  const before = await deps.db.provider.findUnique({ where: { id } });
  if (!before) throw new NotFoundError("No such provider");
  const fields = {
    name: parsed.name ?? before.name,
    adapter: parsed.adapter ?? before.adapter,
    baseUrl: parsed.baseUrl ?? before.baseUrl,
    enabled: parsed.enabled ?? before.enabled,
  };
  const fieldsChanged =
    fields.name !== before.name || fields.adapter !== before.adapter || fields.baseUrl.trim() !== before.baseUrl || fields.enabled !== before.enabled;
  const source: ProviderSource = fieldsChanged || before.source === "admin" ? "admin" : "catalog";
  // Everything the console owns must satisfy the URL policy, checked again on each save.
  if (source === "admin" && fieldsChanged) fields.baseUrl = await checkBaseUrl(fields.baseUrl, deps);
  if (parsed.credential && parsed.clearCredential) throw new ValidationError({ credential: "Enter a new credential or remove the stored one, not both" });
  const credentialEncrypted = parsed.clearCredential
    ? null
    : parsed.credential
      ? encryptCredential(deps, before.slug, parsed.credential)
      : before.credentialEncrypted;
  if (!fieldsChanged && credentialEncrypted === before.credentialEncrypted) return toDto(before, (await endpointCounts(deps.db, [id]))(id), deps);
  const after = await deps.db.$transaction(async (tx) => {
    const updated = await tx.provider.update({ where: { id }, data: { ...fields, source, credentialEncrypted } });
    await recordAuditEvent(tx, {
      actor,
      action: actionFor(before, updated, fieldsChanged),
      targetType: "provider",
      targetId: id,
      targetLabel: before.slug,
      before: auditView(before, deps.cipher),
      after: auditView(updated, deps.cipher),
    });
    return updated;
  });
  return toDto(after, (await endpointCounts(deps.db, [id]))(id), deps);
}
