/**
 * What the admin console may send for a provider. The slug is fixed once created: it
 * names the provider in endpoint slugs, activity rows and routing options, and the
 * stored credential is bound to it. The base URL is checked further, with DNS, by
 * url-policy.ts; here it only has to be a string.
 */
import { z } from "zod";
import { ADAPTER_KINDS } from "../gateway/providers/adapter-kind.ts";

const credentialSchema = z
  .string({ error: "The credential must be text" })
  .trim()
  .max(4096, "A credential is at most 4096 characters")
  .refine((value) => !/[\s\u0000-\u001f]/.test(value), "A credential cannot contain spaces or line breaks");

const nameSchema = z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(100, "At most 100 characters");
const adapterSchema = z.enum(ADAPTER_KINDS, { error: `Choose an adapter: ${ADAPTER_KINDS.join(" or ")}` });
const baseUrlSchema = z.string({ error: "Enter the base URL" }).trim().min(1, "Enter the base URL").max(2048, "At most 2048 characters");

export const createProviderSchema = z
  .object({
    slug: z
      .string({ error: "Enter a slug" })
      .trim()
      .min(2, "At least 2 characters")
      .max(64, "At most 64 characters")
      .regex(/^[a-z0-9][a-z0-9-]*$/, "Use lowercase letters, digits and dashes, starting with a letter or digit"),
    name: nameSchema,
    adapter: adapterSchema,
    baseUrl: baseUrlSchema,
    credential: credentialSchema.optional(),
    enabled: z.boolean({ error: "enabled must be true or false" }).optional(),
  })
  .strict();

export const updateProviderSchema = z
  .object({
    name: nameSchema.optional(),
    adapter: adapterSchema.optional(),
    baseUrl: baseUrlSchema.optional(),
    enabled: z.boolean({ error: "enabled must be true or false" }).optional(),
    /** a new credential; absent or empty keeps the stored one */
    credential: credentialSchema.optional(),
    /** true removes the stored credential */
    clearCredential: z.boolean({ error: "clearCredential must be true or false" }).optional(),
  })
  .strict();

export const testCredentialSchema = z
  .object({
    /** the upstream model id to ask for one token; defaults to one of the provider's endpoints */
    model: z.string().trim().max(200, "At most 200 characters").optional(),
  })
  .strict();

export type CreateProviderInput = z.input<typeof createProviderSchema>;
export type UpdateProviderInput = z.input<typeof updateProviderSchema>;
