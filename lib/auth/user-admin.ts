import "server-only";
/**
 * The admin console's user management: the list with balance and spend, role changes,
 * suspension and balance adjustments. Each change commits with its audit row. The
 * instance is never left without an active admin: a change to an admin first locks every
 * active admin's row, then writes, then counts the admins left, all in one transaction.
 * Counting alone is not enough on PostgreSQL: two admins demoting each other at once
 * would each still see the other as an admin (read committed) and both succeed.
 */
import { z } from "zod";
import { recordAuditEvent } from "../audit/audit-log.ts";
import { adminCreditFields, creditAsAdmin } from "../billing/admin-credit.ts";
import type { Tx } from "../billing/ledger.ts";
import { formatNanoUsd } from "../gateway/metering/money.ts";
import type { Db } from "../db/client.ts";
import { NotFoundError } from "../errors/not-found-error.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";
import { getKeyVerifier } from "../keys/key-auth.ts";
import type { AccountUser } from "./user-service.ts";
import { bumpSessionEpoch } from "./session-epoch.ts";

export type AdminUserRow = {
  id: string;
  email: string;
  name: string | null;
  role: "admin" | "member";
  status: "active" | "suspended";
  balanceUsd: string;
  spendUsd: string;
  keys: number;
  createdAt: string;
};

const TX_OPTIONS = { timeout: 20_000, maxWait: 20_000 };

export const userUpdateSchema = z
  .object({
    role: z.enum(["admin", "member"], { error: "Role must be admin or member" }).optional(),
    status: z.enum(["active", "suspended"], { error: "Status must be active or suspended" }).optional(),
  })
  .strict()
  .refine((input) => input.role !== undefined || input.status !== undefined, { message: "Nothing to change" });

export const balanceAdjustmentSchema = z.object(adminCreditFields);

type UserRow = { id: string; email: string; name: string | null; role: string; status: string; balanceNanoUsd: bigint; createdAt: Date };

function toAdminUserRow(row: UserRow, keys: number, spendNanoUsd: bigint): AdminUserRow {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role === "admin" ? "admin" : "member",
    status: row.status === "suspended" ? "suspended" : "active",
    balanceUsd: formatNanoUsd(row.balanceNanoUsd),
    spendUsd: formatNanoUsd(spendNanoUsd),
    keys,
    createdAt: row.createdAt.toISOString(),
  };
}

/** How many people have an account on this instance (the admin overview's figure; organizations are listed apart). */
export function countAccounts(db: Db): Promise<number> {
  return db.user.count({ where: { kind: "personal" } });
}

/** Every person's account, oldest first; spend is the sum of its ledger charges (one grouped query). */

export async function listAdminUsers(db: Db, where: { id?: string } = {}): Promise<AdminUserRow[]> {
  const [users, charges] = await Promise.all([
    db.user.findMany({
      where: { ...where, kind: "personal" },
      orderBy: { createdAt: "asc" },
      include: { _count: { select: { apiKeys: { where: { deletedAt: null } } } } },
    }),
    db.ledgerEntry.groupBy({ by: ["userId"], where: { kind: "charge", ...(where.id ? { userId: where.id } : {}) }, _sum: { amountNanoUsd: true } }),
  ]);
  const spend = new Map(charges.map((c) => [c.userId, -(c._sum.amountNanoUsd ?? 0n)]));
  return users.map((u) => toAdminUserRow(u, u._count.apiKeys, spend.get(u.id) ?? 0n));
}

async function readAdminUser(db: Db, id: string): Promise<AdminUserRow> {
  const [row] = await listAdminUsers(db, { id });
  if (!row) throw new NotFoundError("No such account");
  return row;
}

/**
 * Takes the row lock of every active admin (a write that changes nothing, in both
 * databases; raw SQL so `updatedAt` and the key change feed stay still). A concurrent
 * change to an admin waits here until this transaction ends, then sees its outcome.
 */
async function lockActiveAdmins(tx: Tx) {
  await tx.$executeRaw`UPDATE "User" SET "role" = "role" WHERE "role" = 'admin' AND "status" = 'active'`;
}

async function requireActiveAdmin(tx: Tx, field: string) {
  if ((await tx.user.count({ where: { role: "admin", status: "active" } })) === 0) {
    throw new ValidationError({ [field]: "This would leave Switchyard without an active admin; make someone else admin first" });
  }
}

/** Changes role and/or status. A suspension stops the account's keys at once here, and within a poll elsewhere. */
export async function updateUserByAdmin(db: Db, actor: AccountUser, userId: string, body: unknown): Promise<AdminUserRow> {
  const input = parseInput(userUpdateSchema, body);
  if (userId === actor.id && input.status === "suspended") throw new ValidationError({ status: "You cannot suspend your own account" });
  const before = await db.user.findUnique({ where: { id: userId }, select: { role: true, status: true, email: true } });
  if (!before) throw new NotFoundError("No such account");
  await db.$transaction(async (tx) => {
    if (before.role === "admin") await lockActiveAdmins(tx);
    const after = await tx.user.update({ where: { id: userId }, data: input, select: { role: true, status: true } });
    // A suspended account's sessions end now, and do not come back if it is reactivated.
    if (input.status === "suspended" && before.status !== "suspended") await bumpSessionEpoch(tx, userId);
    if (before.role === "admin" && (after.role !== "admin" || after.status !== "active")) await requireActiveAdmin(tx, input.role ? "role" : "status");
    const action = input.status && input.status !== before.status ? (input.status === "suspended" ? "user.suspend" : "user.unsuspend") : "user.role";
    await recordAuditEvent(tx, {
      actor,
      action,
      targetType: "user",
      targetId: userId,
      targetLabel: before.email,
      before: { role: before.role, status: before.status },
      after,
    });
  }, TX_OPTIONS);
  getKeyVerifier().invalidateUser(userId);
  return readAdminUser(db, userId);
}

/** A credit or debit through the ledger (kind top_up or adjustment), with the admin's reason. */
export async function adjustBalanceByAdmin(db: Db, actor: AccountUser, userId: string, body: unknown): Promise<AdminUserRow> {
  const input = parseInput(balanceAdjustmentSchema, body);
  const target = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  if (!target) throw new NotFoundError("No such account");
  await creditAsAdmin(db, actor, target, input, { action: "user.balance_adjust" });
  return readAdminUser(db, userId);
}
