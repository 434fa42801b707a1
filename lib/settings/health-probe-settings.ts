/**
 * Active health probes: off by default, because every probe is a real (one-token)
 * request that the operator pays the provider for. Admins turn them on in the console.
 */
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { recordAuditEvent } from "../audit/audit-log.ts";
import { parseInput } from "../errors/validation-error.ts";

export const HEALTH_PROBES_KEY = "healthProbes";

export const healthProbeSettingsSchema = z
  .object({
    enabled: z.boolean({ error: "enabled must be true or false" }),
    intervalMinutes: z
      .number({ error: "Enter the interval in minutes" })
      .int("Enter a whole number of minutes")
      .min(1, "Probe at most once a minute")
      .max(1440, "Probe at least once a day"),
  })
  .strict();

export type HealthProbeSettings = z.infer<typeof healthProbeSettingsSchema>;

export const DEFAULT_HEALTH_PROBE_SETTINGS: HealthProbeSettings = { enabled: false, intervalMinutes: 10 };

export async function readHealthProbeSettings(db: Db): Promise<HealthProbeSettings> {
  const row = await db.instanceSetting.findUnique({ where: { key: HEALTH_PROBES_KEY } });
  if (!row) return DEFAULT_HEALTH_PROBE_SETTINGS;
  const parsed = healthProbeSettingsSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : DEFAULT_HEALTH_PROBE_SETTINGS;
}

export async function updateHealthProbeSettings(db: Db, input: unknown, actor: { id: string; email: string }): Promise<HealthProbeSettings> {
  const settings = parseInput(healthProbeSettingsSchema, input);
  const value = JSON.stringify(settings);
  const before = await readHealthProbeSettings(db);
  await db.$transaction(async (tx) => {
    await tx.instanceSetting.upsert({
      where: { key: HEALTH_PROBES_KEY },
      create: { key: HEALTH_PROBES_KEY, value, updatedBy: actor.id },
      update: { value, updatedBy: actor.id },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "setting.update",
      targetType: "setting",
      targetId: HEALTH_PROBES_KEY,
      targetLabel: "Health probes",
      before,
      after: settings,
    });
  });
  return settings;
}
