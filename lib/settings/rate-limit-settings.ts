/**
 * Rate-limit defaults an admin sets for the whole instance (InstanceSetting row
 * `rateLimits`): the limit every account gets unless it has an override, and the
 * model-family limits (the seed FAQ's 60 requests/min for GPT models, 100 for Claude,
 * 20 for image models). See lib/gateway/rate-limit/rate-limit-rules.ts for how a
 * request picks its limits.
 */
import { z } from "zod";
import type { Db } from "../db/client.ts";
import type { UserActor } from "../audit/audit-log.ts";
import { recordAuditEvent } from "../audit/audit-log.ts";
import type { RateLimitSettings } from "../gateway/rate-limit/rate-limit-rules.ts";
import { parseInput } from "../errors/validation-error.ts";

export const RATE_LIMITS_KEY = "rateLimits";

/** A limit: a whole number per minute (a number, or the text of a form field), or null / empty for none. */
export const perMinuteLimitSchema = (what: string) =>
  z
    .union([z.number(), z.string()], { error: `Enter ${what} per minute as a number, or leave it empty` })
    .nullable()
    .transform((value, context) => {
      if (value === null || (typeof value === "string" && value.trim() === "")) return null;
      const limit = typeof value === "number" ? value : Number(value.trim());
      if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000_000) {
        context.addIssue({ code: "custom", message: `Enter a whole number of ${what} per minute (at least 1), or leave it empty for no limit` });
        return z.NEVER;
      }
      return limit;
    });

const pairSchema = z.object({ rpm: perMinuteLimitSchema("requests"), tpm: perMinuteLimitSchema("tokens") }).strict();

const familySchema = z
  .object({
    name: z.string({ error: "Name the family" }).trim().min(1, "Name the family").max(40, "Keep the name under 40 characters"),
    patterns: z
      .array(
        z
          .string()
          .trim()
          .min(1, "A pattern cannot be empty")
          .max(100, "Keep each pattern under 100 characters")
          .regex(/^[A-Za-z0-9*._:/-]+$/, "Patterns are model slugs with * wildcards, like openai/gpt-*"),
      )
      .min(1, "Give at least one pattern, like anthropic/claude-*")
      .max(20, "At most 20 patterns per family"),
    rpm: perMinuteLimitSchema("requests"),
    tpm: perMinuteLimitSchema("tokens"),
  })
  .strict();

export const rateLimitSettingsSchema = z
  .object({ account: pairSchema, families: z.array(familySchema).max(50, "At most 50 families") })
  .strict()
  .superRefine((settings, context) => {
    const seen = new Set<string>();
    settings.families.forEach((family, index) => {
      const key = family.name.toLowerCase();
      if (seen.has(key)) context.addIssue({ code: "custom", path: ["families", index, "name"], message: `Another family is already called ${family.name}` });
      seen.add(key);
    });
  }) satisfies z.ZodType<RateLimitSettings>;

export const DEFAULT_RATE_LIMIT_SETTINGS: RateLimitSettings = {
  account: { rpm: null, tpm: null },
  // Image first: the first matching family wins, and openai/gpt-image-1 is an image model.
  families: [
    { name: "Image", patterns: ["*image*", "*dall-e*", "*imagen*"], rpm: 20, tpm: null },
    { name: "GPT", patterns: ["openai/gpt-*", "openai/o*"], rpm: 60, tpm: null },
    { name: "Claude", patterns: ["anthropic/claude-*"], rpm: 100, tpm: null },
  ],
};

export async function readRateLimitSettings(db: Db): Promise<RateLimitSettings> {
  const row = await db.instanceSetting.findUnique({ where: { key: RATE_LIMITS_KEY } });
  if (!row) return DEFAULT_RATE_LIMIT_SETTINGS;
  const parsed = rateLimitSettingsSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : DEFAULT_RATE_LIMIT_SETTINGS;
}

export async function updateRateLimitSettings(db: Db, input: unknown, actor: UserActor): Promise<RateLimitSettings> {
  const settings = parseInput(rateLimitSettingsSchema, input);
  const value = JSON.stringify(settings);
  await db.$transaction(async (tx) => {
    // Write first, read after: on SQLite a transaction that reads and then writes must upgrade
    // its read snapshot, which fails at once (not after a wait) when another connection (the
    // write worker, another instance) committed in between. A no-op write takes the write lock,
    // waiting for it, before the read, as BEGIN IMMEDIATE would. On PostgreSQL it locks the row.
    await tx.$executeRaw`UPDATE "InstanceSetting" SET "key" = "key" WHERE "key" = ${RATE_LIMITS_KEY}`;
    const before = await tx.instanceSetting.findUnique({ where: { key: RATE_LIMITS_KEY } });
    await tx.instanceSetting.upsert({
      where: { key: RATE_LIMITS_KEY },
      create: { key: RATE_LIMITS_KEY, value, updatedBy: actor.id },
      update: { value, updatedBy: actor.id },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "rate_limits.update",
      targetType: "setting",
      targetId: RATE_LIMITS_KEY,
      targetLabel: "Rate limits",
      before: before ? JSON.parse(before.value) : DEFAULT_RATE_LIMIT_SETTINGS,
      after: settings,
    });
  });
  return settings;
}
