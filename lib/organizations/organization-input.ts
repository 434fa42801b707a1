/**
 * What people type about organizations, validated once for the console, the API and the CLI:
 * names, roles, invitation emails and member credit limits. Each failure names its field.
 */
import { z } from "zod";
import { emailSchema } from "../auth/user-service.ts";
import { parseUsdToNano } from "../gateway/metering/money.ts";

export const ORGANIZATION_ROLES = ["admin", "member"] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

export const organizationNameSchema = z
  .string({ error: "A name is required" })
  .trim()
  .min(1, "A name is required")
  .max(64, "Keep the name to 64 characters or fewer");

export const organizationRoleSchema = z.enum(ORGANIZATION_ROLES, { error: 'Role must be "admin" or "member"' });

/** A role as a form sends it, so a refusal names the field. */
export const roleInputSchema = z.object({ role: organizationRoleSchema });

export const createOrganizationSchema = z.object({
  name: organizationNameSchema,
  logoUrl: z
    .url({ protocol: /^https?$/, error: "The logo must be an http(s) URL" })
    .max(2_000, "The logo URL is too long")
    .nullish()
    .transform((v) => v ?? null),
});
export type CreateOrganizationInput = z.input<typeof createOrganizationSchema>;

/** One or more emails, separated by commas, spaces or new lines (as pasted into the invite box). */
export const invitationInputSchema = z.object({
  emails: z
    .union([z.string(), z.array(z.string())], { error: "Enter at least one email" })
    .transform((value) => (Array.isArray(value) ? value : value.split(/[\s,;]+/)).map((e) => e.trim()).filter(Boolean))
    .pipe(
      z
        .array(emailSchema)
        .min(1, "Enter at least one email")
        .max(50, "Invite at most 50 people at once")
        .transform((emails) => [...new Set(emails)]),
    ),
  role: organizationRoleSchema,
});
export type InvitationInput = z.input<typeof invitationInputSchema>;

/** A credit limit in USD: empty or null for none, otherwise an amount of at least zero. */
const limitSchema = z
  .union([z.string(), z.number(), z.null()], { error: "Enter an amount in USD, or leave it empty for no limit" })
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    if (value === null || (typeof value === "string" && value.trim() === "")) return null;
    const nano = parseUsdToNano(value);
    if (nano === null) {
      ctx.addIssue({ code: "custom", message: "Enter an amount in USD of 0 or more, like 25 or 2.50, or leave it empty for no limit" });
      return z.NEVER;
    }
    return nano;
  });

/** Member credit limits: a field left out is unchanged, null removes the limit. */
export const memberLimitsSchema = z.object({ total: limitSchema, day: limitSchema, week: limitSchema, month: limitSchema });
export type MemberLimitsInput = z.input<typeof memberLimitsSchema>;
export type MemberLimits = z.output<typeof memberLimitsSchema>;
