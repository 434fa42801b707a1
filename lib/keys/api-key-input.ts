/**
 * What a person may set on an API key, validated once for the console API and the CLI.
 * Money arrives as decimal USD (string or number) and leaves as nano-USD BigInt.
 * An absent field stays undefined ("leave as is" in an update); null or "" means "no limit".
 */
import { z } from "zod";
import { parseUsdToNano } from "../gateway/metering/money.ts";

const usdLimit = z
  .union([z.string(), z.number()])
  .nullable()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    if (value === null || value === "") return null;
    const nano = parseUsdToNano(value);
    if (nano === null) {
      ctx.addIssue({ code: "custom", message: "Enter an amount in USD, like 25 or 12.50 (not negative)" });
      return z.NEVER;
    }
    if (nano === 0n) {
      ctx.addIssue({ code: "custom", message: "A spend limit must be more than $0 (leave it empty for no limit)" });
      return z.NEVER;
    }
    return nano;
  });

const rateLimit = (unit: string) =>
  z
    .union([z.number(), z.string()])
    .nullable()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      if (value === null || value === "") return null;
      const n = typeof value === "number" ? value : Number(value.trim());
      if (!Number.isInteger(n) || n < 1 || n > 100_000_000) {
        ctx.addIssue({ code: "custom", message: `Enter a whole number of ${unit} of at least 1` });
        return z.NEVER;
      }
      return n;
    });

const nameSchema = z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(80, "Name must be 80 characters or fewer");

const limitsShape = {
  allowedModels: z
    .array(z.string().trim().min(1, "A model slug cannot be empty"), { error: "Allowed models must be a list of model slugs" })
    .max(500)
    .nullable()
    .optional()
    .transform((list) => (list === undefined ? undefined : list && list.length > 0 ? [...new Set(list)] : null)),
  spendLimitTotalUsd: usdLimit,
  spendLimitDayUsd: usdLimit,
  spendLimitMonthUsd: usdLimit,
  rpmLimit: rateLimit("requests per minute"),
  tpmLimit: rateLimit("tokens per minute"),
  expiresAt: z
    .union([z.string(), z.date()])
    .nullable()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      if (value === null || value === "") return null;
      const date = value instanceof Date ? value : new Date(value);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: "custom", message: "Enter a valid date" });
        return z.NEVER;
      }
      if (date.getTime() <= Date.now()) {
        ctx.addIssue({ code: "custom", message: "The expiry date must be in the future" });
        return z.NEVER;
      }
      return date;
    }),
};

export const createApiKeyInputSchema = z.object({ name: nameSchema, ...limitsShape }).strict();
export const updateApiKeyInputSchema = z
  .object({ name: nameSchema.optional(), ...limitsShape })
  .strict()
  .refine((input) => Object.values(input).some((v) => v !== undefined), "Nothing to change");

export type CreateApiKeyInput = z.output<typeof createApiKeyInputSchema>;
export type UpdateApiKeyInput = z.output<typeof updateApiKeyInputSchema>;
/** The JSON a client sends (amounts as USD strings or numbers, dates as ISO strings). */
export type ApiKeyFormInput = z.input<typeof createApiKeyInputSchema>;
