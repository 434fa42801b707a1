/**
 * API keys as their owner manages them. Every query is scoped to the owner's id, so
 * nobody can read or change another account's keys by guessing an id.
 */
import { recordAuditEvent, type AuditActor } from "../audit/audit-log.ts";
import type { Db } from "../db/client.ts";
import { ValidationError } from "../errors/validation-error.ts";
import { generateApiKey } from "./api-key-format.ts";
import type { CreateApiKeyInput, UpdateApiKeyInput } from "./api-key-input.ts";
import { NotFoundError } from "../errors/not-found-error.ts";

export type ApiKeyStatus = "active" | "expired" | "revoked";

export type ApiKeySummary = {
  id: string;
  name: string;
  start: string;
  status: ApiKeyStatus;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  allowedModels: string[] | null;
  spendLimitTotalNanoUsd: bigint | null;
  spendLimitDayNanoUsd: bigint | null;
  spendLimitMonthNanoUsd: bigint | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  spentNanoUsd: bigint;
  /** an organization key's creator (their email); null for a personal key */
  creator: string | null;
};

/**
 * Whose keys a console request may see and change: every key of the account, or (an
 * organization member) only the keys of their own membership.
 */
export type KeyScope = { accountId: string; membershipId?: string | null };

type KeyRow = Awaited<ReturnType<Db["apiKey"]["findFirstOrThrow"]>>;

export class ApiKeyNotFoundError extends NotFoundError {
  constructor() {
    super("API key not found");
  }
}

export function statusOf(row: Pick<KeyRow, "revokedAt" | "expiresAt">, now = new Date()): ApiKeyStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  return "active";
}

function toSummary(row: KeyRow, creator: string | null = null): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    start: row.start,
    status: statusOf(row),
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    allowedModels: row.allowedModels ? (JSON.parse(row.allowedModels) as string[]) : null,
    spendLimitTotalNanoUsd: row.spendLimitTotalNanoUsd,
    spendLimitDayNanoUsd: row.spendLimitDayNanoUsd,
    spendLimitMonthNanoUsd: row.spendLimitMonthNanoUsd,
    rpmLimit: row.rpmLimit,
    tpmLimit: row.tpmLimit,
    spentNanoUsd: row.spentNanoUsd,
    creator,
  };
}

/** Checks allowed models against the catalog so a typo is caught when the key is made. */
function checkModels(allowedModels: string[] | null | undefined, knownModels: ReadonlySet<string>) {
  const unknown = (allowedModels ?? []).filter((slug) => !knownModels.has(slug));
  if (unknown.length > 0) throw new ValidationError({ allowedModels: `Unknown model${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}` });
}

/** Columns for the fields the input sets; undefined fields are left as they are. */
function limitColumns(input: UpdateApiKeyInput) {
  const has = (field: keyof UpdateApiKeyInput) => input[field] !== undefined;
  return {
    ...(has("name") ? { name: input.name } : {}),
    ...(has("allowedModels") ? { allowedModels: input.allowedModels ? JSON.stringify(input.allowedModels) : null } : {}),
    ...(has("spendLimitTotalUsd") ? { spendLimitTotalNanoUsd: input.spendLimitTotalUsd } : {}),
    ...(has("spendLimitDayUsd") ? { spendLimitDayNanoUsd: input.spendLimitDayUsd } : {}),
    ...(has("spendLimitMonthUsd") ? { spendLimitMonthNanoUsd: input.spendLimitMonthUsd } : {}),
    ...(has("rpmLimit") ? { rpmLimit: input.rpmLimit } : {}),
    ...(has("tpmLimit") ? { tpmLimit: input.tpmLimit } : {}),
    ...(has("expiresAt") ? { expiresAt: input.expiresAt } : {}),
  };
}

/** What an audit row keeps of a key: never the hash, only the visible start. */
function auditView(row: KeyRow) {
  const { id, name, start, status, allowedModels, spendLimitTotalNanoUsd, rpmLimit, tpmLimit, expiresAt } = toSummary(row);
  return { id, name, start, status, allowedModels, spendLimitTotalNanoUsd, rpmLimit, tpmLimit, expiresAt };
}

/**
 * Creates a key; the full key is in the result and nowhere else, ever again. With
 * `audit` (the CLI acting for an account), the key and its audit row commit together.
 * `membershipId`: an organization key's creator, whose credit limits its holds check.
 */
export async function createApiKey(
  db: Db,
  userId: string,
  input: CreateApiKeyInput,
  knownModels: ReadonlySet<string>,
  audit?: { actor: AuditActor; ownerEmail: string },
  options: { membershipId?: string | null } = {},
) {
  checkModels(input.allowedModels, knownModels);
  const { key, hash, start } = generateApiKey();
  const data = { userId, membershipId: options.membershipId ?? null, hash, start, ...limitColumns(input), name: input.name };
  if (!audit) return { key, summary: toSummary(await db.apiKey.create({ data })) };
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({ data });
    await recordAuditEvent(tx, {
      actor: audit.actor,
      action: "key.create",
      targetType: "api_key",
      targetId: created.id,
      targetLabel: `${created.name} (${audit.ownerEmail})`,
      after: auditView(created),
    });
    return created;
  });
  return { key, summary: toSummary(row) };
}

const scopeWhere = (scope: string | KeyScope) =>
  typeof scope === "string" ? { userId: scope } : { userId: scope.accountId, ...(scope.membershipId ? { membershipId: scope.membershipId } : {}) };

/** The keys in scope, newest first; organization keys name their creator. */
export async function listApiKeys(db: Db, scope: string | KeyScope): Promise<ApiKeySummary[]> {
  // The playground's short-lived keys are the console's own (lib/keys/playground-keys.ts), not the user's to manage.
  const rows = await db.apiKey.findMany({ where: { ...scopeWhere(scope), deletedAt: null, purpose: null }, orderBy: { createdAt: "desc" } });
  const membershipIds = [...new Set(rows.map((r) => r.membershipId).filter((id): id is string => id !== null))];
  const creators = membershipIds.length
    ? new Map(
        (await db.membership.findMany({ where: { id: { in: membershipIds } }, select: { id: true, user: { select: { email: true } } } })).map((m) => [
          m.id,
          m.user.email,
        ]),
      )
    : new Map<string, string>();
  return rows.map((row) => toSummary(row, row.membershipId ? (creators.get(row.membershipId) ?? null) : null));
}

async function ownedKey(db: Db, scope: string | KeyScope, keyId: string): Promise<KeyRow> {
  const row = await db.apiKey.findFirst({ where: { id: keyId, ...scopeWhere(scope), deletedAt: null, purpose: null } });
  if (!row) throw new ApiKeyNotFoundError();
  return row;
}

/** Returns the updated summary and the key's hash (for the verifier's cache). */
export async function updateApiKey(db: Db, userId: string | KeyScope, keyId: string, input: UpdateApiKeyInput, knownModels: ReadonlySet<string>) {
  checkModels(input.allowedModels, knownModels);
  const row = await ownedKey(db, userId, keyId);
  const updated = await db.apiKey.update({ where: { id: row.id }, data: limitColumns(input) });
  return { summary: toSummary(updated), hash: row.hash };
}

export async function revokeApiKey(db: Db, userId: string | KeyScope, keyId: string) {
  const row = await ownedKey(db, userId, keyId);
  const updated = row.revokedAt ? row : await db.apiKey.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
  return { summary: toSummary(updated), hash: row.hash };
}

/** Soft delete: the key stops working at once and leaves the list; activity keeps its name. */
export async function deleteApiKey(db: Db, userId: string | KeyScope, keyId: string) {
  const row = await ownedKey(db, userId, keyId);
  const now = new Date();
  await db.apiKey.update({ where: { id: row.id }, data: { deletedAt: now, revokedAt: row.revokedAt ?? now } });
  return { hash: row.hash };
}

/** Admin/CLI: revoke by id regardless of owner; the revocation and its audit row commit together. */
export async function revokeApiKeyById(db: Db, keyId: string, actor: AuditActor) {
  return db.$transaction(async (tx) => {
    const row = await tx.apiKey.findFirst({ where: { id: keyId, deletedAt: null }, include: { user: { select: { email: true } } } });
    if (!row) throw new ApiKeyNotFoundError();
    if (!row.revokedAt) {
      const revoked = await tx.apiKey.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
      await recordAuditEvent(tx, {
        actor,
        action: "key.revoke",
        targetType: "api_key",
        targetId: row.id,
        targetLabel: `${row.name} (${row.user.email})`,
        before: auditView(row),
        after: auditView(revoked),
      });
    }
    return { hash: row.hash, name: row.name, userId: row.userId };
  });
}
