/**
 * Account settings a member changes in the console. The default fallback model is the
 * model the gateway tries when every candidate of a request failed (ZenMux's
 * "Default Fallback Model").
 */
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";

export const accountSettingsSchema = z
  .object({
    defaultFallbackModel: z
      .string({ error: "Enter a model slug, or leave it empty" })
      .trim()
      .nullable()
      .transform((v) => v || null)
      .optional(),
    storeContent: z.boolean({ error: "storeContent must be true or false" }).optional(),
  })
  .strict();

export type AccountSettings = { defaultFallbackModel: string | null; storeContent: boolean };

export async function readAccountSettings(db: Db, userId: string): Promise<AccountSettings> {
  return db.user.findUniqueOrThrow({ where: { id: userId }, select: { defaultFallbackModel: true, storeContent: true } });
}

/**
 * Saves the settings the request names (a PATCH); the fallback must be a model in the
 * catalog. Bumps updatedAt, so key caches refresh.
 */
export async function updateAccountSettings(db: Db, userId: string, input: unknown, knownModels: ReadonlySet<string>): Promise<AccountSettings> {
  const settings = parseInput(accountSettingsSchema, input);
  if (settings.defaultFallbackModel && !knownModels.has(settings.defaultFallbackModel)) {
    throw new ValidationError({ defaultFallbackModel: `Unknown model: ${settings.defaultFallbackModel}` });
  }
  return db.user.update({ where: { id: userId }, data: settings, select: { defaultFallbackModel: true, storeContent: true } });
}
