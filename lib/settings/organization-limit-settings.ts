/**
 * How many organizations a person may create and join, and how many people (members and
 * pending invitations) one organization may hold. ZenMux's defaults (1, 5, 50); admins of the
 * instance change them in the console. The operator's CLI is not bound by the first two.
 */
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { recordAuditEvent, type UserActor } from "../audit/audit-log.ts";
import { parseInput } from "../errors/validation-error.ts";

export const ORGANIZATION_LIMITS_KEY = "organizationLimits";

const count = (what: string, max: number) =>
  z
    .number({ error: `Enter how many ${what}` })
    .int("Enter a whole number")
    .min(0, "Enter 0 or more")
    .max(max, `At most ${max}`);

export const organizationLimitSettingsSchema = z
  .object({
    createPerUser: count("organizations a person may create", 1_000),
    joinPerUser: count("organizations a person may belong to", 1_000),
    seatsPerOrganization: count("members and pending invitations an organization may have", 100_000),
  })
  .strict();

export type OrganizationLimitSettings = z.infer<typeof organizationLimitSettingsSchema>;

export const DEFAULT_ORGANIZATION_LIMITS: OrganizationLimitSettings = { createPerUser: 1, joinPerUser: 5, seatsPerOrganization: 50 };

export async function readOrganizationLimitSettings(db: Pick<Db, "instanceSetting">): Promise<OrganizationLimitSettings> {
  const row = await db.instanceSetting.findUnique({ where: { key: ORGANIZATION_LIMITS_KEY } });
  if (!row) return DEFAULT_ORGANIZATION_LIMITS;
  const parsed = organizationLimitSettingsSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : DEFAULT_ORGANIZATION_LIMITS;
}

export async function updateOrganizationLimitSettings(db: Db, input: unknown, actor: UserActor): Promise<OrganizationLimitSettings> {
  const settings = parseInput(organizationLimitSettingsSchema, input);
  const value = JSON.stringify(settings);
  const before = await readOrganizationLimitSettings(db);
  await db.$transaction(async (tx) => {
    await tx.instanceSetting.upsert({
      where: { key: ORGANIZATION_LIMITS_KEY },
      create: { key: ORGANIZATION_LIMITS_KEY, value, updatedBy: actor.id },
      update: { value, updatedBy: actor.id },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "setting.update",
      targetType: "setting",
      targetId: ORGANIZATION_LIMITS_KEY,
      targetLabel: "Organization limits",
      before,
      after: settings,
    });
  });
  return settings;
}
