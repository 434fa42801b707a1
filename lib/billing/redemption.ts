/**
 * Redemption codes: admins issue batches (value, count, optional expiry); each code
 * credits its value once. Redeeming is one conditional UPDATE (`… WHERE redeemedAt IS
 * NULL AND not expired`) as the transaction's first statement, so two people (or two
 * tabs) racing for one code cannot both get it.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";
import { formatNanoUsd, parseUsdToNano } from "../gateway/metering/money.ts";
import { recordAuditEvent } from "../audit/audit-log.ts";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

function newCode(): string {
  const bytes = randomBytes(12);
  const chars = Array.from(bytes, (b) => ALPHABET[b % 32]).join("");
  return `SY-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/** What people type: case, spaces and missing dashes forgiven. */
export function normaliseCode(input: string): string {
  const bare = input
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, "")
    .replace(/^SY/, "");
  return bare.length === 12 ? `SY-${bare.slice(0, 4)}-${bare.slice(4, 8)}-${bare.slice(8, 12)}` : input.trim().toUpperCase();
}

export const codeBatchSchema = z.object({
  valueUsd: z.union([z.string(), z.number()]).transform((v, ctx) => {
    const nano = parseUsdToNano(v);
    if (nano === null || nano === 0n) {
      ctx.addIssue({ code: "custom", message: "Enter a positive amount in USD, like 10 or 2.50" });
      return z.NEVER;
    }
    return nano;
  }),
  count: z.coerce
    .number({ error: "Enter how many codes to create" })
    .int("Enter a whole number")
    .min(1, "Create at least 1 code")
    .max(1000, "At most 1000 codes at once"),
  expiresAt: z
    .union([z.string(), z.null()])
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const date = new Date(v);
      if (Number.isNaN(date.getTime()) || date.getTime() <= Date.now()) {
        ctx.addIssue({ code: "custom", message: "The expiry must be a date in the future" });
        return z.NEVER;
      }
      return date;
    }),
});

export async function createCodeBatch(db: Db, actor: { id: string; email: string }, input: unknown) {
  const { valueUsd, count, expiresAt } = parseInput(codeBatchSchema, input);
  const batchId = randomUUID();
  const codes = Array.from({ length: count }, () => newCode());
  await db.$transaction(async (tx) => {
    await tx.redemptionCode.createMany({ data: codes.map((code) => ({ code, batchId, valueNanoUsd: valueUsd, expiresAt, createdById: actor.id })) });
    // The codes themselves are bearer credits: the audit row names the batch, not the codes.
    await recordAuditEvent(tx, {
      actor,
      action: "code_batch.create",
      targetType: "code_batch",
      targetId: batchId,
      targetLabel: `${count} × $${formatNanoUsd(valueUsd)}`,
      after: { count, valueUsd: formatNanoUsd(valueUsd), expiresAt: expiresAt?.toISOString() ?? null },
    });
  });
  return { batchId, codes, valueNanoUsd: valueUsd, expiresAt };
}

/** Credits the code's value to the user; a ValidationError says why a code cannot be used. */
export async function redeemCode(db: Db, userId: string, rawCode: string): Promise<{ valueNanoUsd: bigint }> {
  const code = normaliseCode(String(rawCode ?? ""));
  if (!code) throw new ValidationError({ code: "Enter a code" });
  const now = new Date();
  const result = await db.$transaction(
    async (tx) => {
      const claimed = await tx.$executeRaw`
        UPDATE "RedemptionCode" SET "redeemedById" = ${userId}, "redeemedAt" = ${now}
        WHERE "code" = ${code} AND "redeemedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > ${now})`;
      if (claimed !== 1) return null;
      const row = await tx.redemptionCode.findUniqueOrThrow({ where: { code } });
      await tx.$executeRaw`
        INSERT INTO "LedgerEntry" ("id", "userId", "kind", "amountNanoUsd", "idempotencyKey", "reason", "createdAt")
        VALUES (${randomUUID()}, ${userId}, 'redemption', ${row.valueNanoUsd}, ${`redeem:${row.id}`}, ${`Redeemed ${code}`}, ${now})`;
      await tx.$executeRaw`UPDATE "User" SET "balanceNanoUsd" = "balanceNanoUsd" + ${row.valueNanoUsd} WHERE "id" = ${userId}`;
      return { valueNanoUsd: row.valueNanoUsd };
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
  if (result) return result;
  const existing = await db.redemptionCode.findUnique({ where: { code } });
  if (!existing) throw new ValidationError({ code: "This code does not exist; check it for typos" });
  if (existing.redeemedAt) throw new ValidationError({ code: "This code has already been redeemed" });
  throw new ValidationError({ code: "This code has expired" });
}

export async function listRecentCodes(db: Db, limit = 100) {
  return db.redemptionCode.findMany({ orderBy: { createdAt: "desc" }, take: limit });
}
