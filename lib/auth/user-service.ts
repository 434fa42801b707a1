/**
 * Accounts: sign-up (the first account becomes the admin), credential checks, OAuth
 * sign-ins and listing. Passwords are argon2id hashes; emails are stored lower-case.
 */
import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "../audit/audit-log.ts";
import { credit } from "../billing/ledger.ts";
import { parseUsdToNano } from "../gateway/metering/money.ts";
import { DEMO_CREDIT_USD, isDemoMode } from "../demo/demo-mode.ts";
import type { Db } from "../db/client.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";
import { DUMMY_PASSWORD_HASH, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from "./password.ts";
import { isUniqueViolation } from "../db/db-errors.ts";

export type Role = "admin" | "member";
export type AccountUser = { id: string; email: string; name: string | null; role: Role; status: string };

export const emailSchema = z
  .string({ error: "Email is required" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address" }));
export const signUpSchema = z.object({
  email: emailSchema,
  password: z
    .string({ error: "Password is required" })
    .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(MAX_PASSWORD_LENGTH, `Password must be at most ${MAX_PASSWORD_LENGTH} characters`),
  name: z
    .string()
    .trim()
    .max(100, "Name must be 100 characters or fewer")
    .optional()
    .transform((v) => v || null),
});
export type SignUpInput = z.input<typeof signUpSchema>;

export function toAccountUser(row: { id: string; email: string; name: string | null; role: string; status: string }): AccountUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role === "admin" ? "admin" : "member", status: row.status };
}

/** Another serializable transaction won: Prisma's P2034, or the driver adapter's TransactionWriteConflict (PostgreSQL 40001). */
function isSerializationConflict(error: unknown): boolean {
  const e = error as { code?: string; cause?: { kind?: string; originalCode?: string }; message?: string } | null;
  return (
    e?.code === "P2034" ||
    e?.cause?.kind === "TransactionWriteConflict" ||
    e?.cause?.originalCode === "40001" ||
    /TransactionWriteConflict/.test(e?.message ?? "")
  );
}

/**
 * Creates an account. Without an explicit role, the first account in the database
 * becomes the admin: decided inside a serializable transaction so two simultaneous
 * first sign-ups cannot both become admin.
 */
export async function createUser(db: Db, input: SignUpInput, options: { role?: Role; audit?: AuditActor } = {}): Promise<AccountUser> {
  const { email, password, name } = parseInput(signUpSchema, input);
  const passwordHash = await hashPassword(password);
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await db.$transaction(
        async (tx) => {
          // Write first (SQLite then holds the write lock for the whole transaction), then
          // decide the role: the only account is the admin. On PostgreSQL, serializable
          // isolation makes one of two racing first sign-ups retry and become a member.
          const created = await tx.user.create({ data: { email, name, passwordHash, role: options.role ?? "member" } });
          const row =
            options.role || (await tx.user.count({ where: { kind: "personal" } })) > 1
              ? created
              : await tx.user.update({ where: { id: created.id }, data: { role: "admin" } });
          // Sign-ups are not audited; an operator creating an account (the CLI) is.
          if (options.audit !== undefined)
            await recordAuditEvent(tx, {
              actor: options.audit,
              action: "user.create",
              targetType: "user",
              targetId: row.id,
              targetLabel: row.email,
              after: { email: row.email, name: row.name, role: row.role, status: row.status },
            });
          return row;
        },
        { isolationLevel: "Serializable", timeout: 15_000, maxWait: 15_000 },
      );
      await grantTrialCredit(db, row.id);
      return toAccountUser(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ValidationError({ email: "An account with this email already exists" });
      // Another sign-up raced this one: wait a moment and decide again.
      if (isSerializationConflict(error) && attempt < 10) {
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 25));
        continue;
      }
      throw error;
    }
  }
}

/** New accounts start with TRIAL_CREDIT_USD (default $5, in demo mode $10; 0 disables), once. */
export async function grantTrialCredit(db: Db, userId: string): Promise<void> {
  const demo = isDemoMode();
  const amount = parseUsdToNano(process.env.TRIAL_CREDIT_USD?.trim() || (demo ? DEMO_CREDIT_USD : "5")) ?? 0n;
  const reason = demo ? "Demo credit (demo mode: every provider is the local fake)" : "Trial credit for a new account";
  if (amount > 0n) await credit(db, { userId, kind: "trial_grant", amountNanoUsd: amount, idempotencyKey: `trial:${userId}`, reason });
}

/** The user for a correct email and password; null otherwise (same cost either way). */
export async function verifyCredentials(db: Db, rawEmail: unknown, password: unknown): Promise<AccountUser | null> {
  const email = emailSchema.safeParse(rawEmail);
  if (!email.success || typeof password !== "string" || password.length > MAX_PASSWORD_LENGTH) return null;
  const user = await db.user.findUnique({ where: { email: email.data } });
  const ok = await verifyPassword(user?.passwordHash ?? DUMMY_PASSWORD_HASH, password);
  return ok && user?.passwordHash ? toAccountUser(user) : null;
}

/** Finds the account linked to an OAuth identity, linking by verified email or creating one. */
export async function findOrCreateOAuthUser(
  db: Db,
  identity: { provider: string; providerAccountId: string; email: string; name: string | null },
): Promise<AccountUser> {
  const linked = await db.oAuthAccount.findUnique({
    where: { provider_providerAccountId: { provider: identity.provider, providerAccountId: identity.providerAccountId } },
    include: { user: true },
  });
  if (linked) return toAccountUser(linked.user);
  const email = identity.email.trim().toLowerCase();
  let user = await db.user.findUnique({ where: { email } });
  if (!user) {
    const role = (await db.user.count()) === 0 ? "admin" : "member";
    user = await db.user.create({ data: { email, name: identity.name, role } });
    await grantTrialCredit(db, user.id);
  }
  await db.oAuthAccount.create({ data: { userId: user.id, provider: identity.provider, providerAccountId: identity.providerAccountId } });
  return toAccountUser(user);
}

/** A person by id or email; organizations' account rows are not people and are never found here. */
export async function findUserById(db: Db, id: string): Promise<AccountUser | null> {
  const row = await db.user.findUnique({ where: { id } });
  return row && row.kind === "personal" ? toAccountUser(row) : null;
}

export async function findUserByEmail(db: Db, rawEmail: string): Promise<AccountUser | null> {
  const email = emailSchema.safeParse(rawEmail);
  if (!email.success) return null;
  const row = await db.user.findUnique({ where: { email: email.data } });
  return row && row.kind === "personal" ? toAccountUser(row) : null;
}

export async function listUsers(db: Db) {
  const rows = await db.user.findMany({
    where: { kind: "personal" },
    orderBy: { createdAt: "asc" },
    include: { _count: { select: { apiKeys: { where: { deletedAt: null } } } } },
  });
  return rows.map((row) => ({ ...toAccountUser(row), createdAt: row.createdAt, balanceNanoUsd: row.balanceNanoUsd, keys: row._count.apiKeys }));
}
