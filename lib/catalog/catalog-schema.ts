/**
 * The catalog file format (docs/architecture.md §Catalog): providers, models and their
 * endpoints with ZenMux-shaped `pricings`. Pure: no I/O, usable from the CLI, the start
 * script, the server and tests.
 */
import { z } from "zod";
import { credentialEnvNameProblem } from "./credential-env-name.ts";
import { EMBEDDING_MODALITY, modelKindOf } from "../gateway/catalog-view/model-kind.ts";
import { ADAPTER_KINDS } from "../gateway/providers/adapter-kind.ts";
import { pricingsSchema } from "../gateway/metering/price-schema.ts";

export const MODALITIES = ["text", "image", "video", "audio", "file"] as const;
/** Outputs add `embedding`: a model that answers `POST /api/v1/embeddings` (lib/gateway/catalog-view/model-kind.ts). */
export const OUTPUT_MODALITIES = [...MODALITIES, EMBEDDING_MODALITY] as const;

const slugPattern = /^[a-z0-9][a-z0-9-]*$/;
const modelIdPattern = /^[a-z0-9][a-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD");

/** The server's environment (PROVIDER_KEY_ENVS); the browser bundle imports this module too and has none. */
const serverEnv = () => (typeof process === "undefined" ? {} : process.env);

export const providerSchema = z
  .object({
    slug: z.string().regex(slugPattern, "expected a lowercase slug like acme-cloud"),
    name: z.string().min(1, "a provider needs a name"),
    adapter: z.enum(ADAPTER_KINDS, { error: `adapter must be one of: ${ADAPTER_KINDS.join(", ")}` }),
    baseUrl: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, "expected an environment variable name like ACME_API_KEY")
      .superRefine((name, ctx) => {
        const problem = credentialEnvNameProblem(name, serverEnv());
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
    enabled: z.boolean().optional(),
    website: z.url().optional(),
  })
  .strict();

export const endpointSchema = z
  .object({
    provider: z.string().min(1),
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, "expected an endpoint name like acme_chat"),
    upstreamModel: z.string().min(1, "the upstream model id cannot be empty"),
    pricings: pricingsSchema,
    contextLength: z.number().int().positive().optional(),
    maxOutput: z.number().int().positive().optional(),
    supportedParameters: z.array(z.string()).optional(),
    enabled: z.boolean().optional(),
    priceSource: z.object({ url: z.url(), date: dateSchema }).strict().optional(),
  })
  .strict();

export const capabilitiesSchema = z
  .object({
    tools: z.boolean().optional(),
    vision: z.boolean().optional(),
    reasoning: z.boolean().optional(),
    json: z.boolean().optional(),
  })
  .strict();

export const modelSchema = z
  .object({
    id: z.string().regex(modelIdPattern, 'expected a model id like "vendor/model-name"'),
    name: z.string().min(1, "a model needs a display name"),
    description: z.string().optional(),
    created: dateSchema.optional(),
    contextLength: z.number().int().positive(),
    maxOutput: z.number().int().positive().optional(),
    inputModalities: z.array(z.enum(MODALITIES)).min(1).optional(),
    outputModalities: z
      .array(z.enum(OUTPUT_MODALITIES))
      .min(1)
      .refine((outputs) => !outputs.includes(EMBEDDING_MODALITY) || outputs.length === 1, "an embedding model outputs embeddings only")
      .optional(),
    capabilities: capabilitiesSchema.optional(),
    aliases: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "an alias is a bare name without / or :")).optional(),
    enabled: z.boolean().optional(),
    endpoints: z.array(endpointSchema).min(1, "a model needs at least one endpoint"),
  })
  .strict();

export const catalogSchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    providers: z.array(providerSchema),
    models: z.array(modelSchema),
  })
  .strict()
  .superRefine(checkReferences);

export type CatalogFile = z.infer<typeof catalogSchema>;
export type CatalogProvider = z.infer<typeof providerSchema>;
export type CatalogModel = z.infer<typeof modelSchema>;
export type CatalogEndpoint = z.infer<typeof endpointSchema>;

/** Cross-references the per-item schemas cannot see: unknown providers, duplicates, alias clashes. */
function checkReferences(catalog: { providers: CatalogProvider[]; models: CatalogModel[] }, ctx: z.RefinementCtx) {
  const providerSlugs = new Set<string>();
  catalog.providers.forEach((p, i) => {
    if (providerSlugs.has(p.slug)) ctx.addIssue({ code: "custom", path: ["providers", i, "slug"], message: `duplicate provider "${p.slug}"` });
    providerSlugs.add(p.slug);
  });
  const modelIds = new Set(catalog.models.map((m) => m.id));
  const seenModels = new Set<string>();
  const aliasOwner = new Map<string, string>();
  const endpointSlugs = new Set<string>();
  catalog.models.forEach((model, mi) => {
    if (seenModels.has(model.id)) ctx.addIssue({ code: "custom", path: ["models", mi, "id"], message: `duplicate model "${model.id}"` });
    seenModels.add(model.id);
    (model.aliases ?? []).forEach((alias, ai) => {
      const path = ["models", mi, "aliases", ai];
      if (modelIds.has(alias)) ctx.addIssue({ code: "custom", path, message: `alias "${alias}" is also a model id` });
      const owner = aliasOwner.get(alias);
      if (owner) ctx.addIssue({ code: "custom", path, message: `alias "${alias}" already belongs to ${owner}` });
      aliasOwner.set(alias, model.id);
    });
    model.endpoints.forEach((endpoint, ei) => {
      if (!providerSlugs.has(endpoint.provider)) {
        ctx.addIssue({ code: "custom", path: ["models", mi, "endpoints", ei, "provider"], message: `unknown provider "${endpoint.provider}"` });
      }
      const slug = `${endpoint.provider}/${endpoint.name}`;
      if (endpointSlugs.has(slug)) ctx.addIssue({ code: "custom", path: ["models", mi, "endpoints", ei, "name"], message: `duplicate endpoint "${slug}"` });
      endpointSlugs.add(slug);
      // An embedding model is billed for its input only.
      if (modelKindOf(model) === "embedding" ? !endpoint.pricings.prompt : !endpoint.pricings.prompt || !endpoint.pricings.completion) {
        const message = modelKindOf(model) === "embedding" ? "a prompt price is required" : "prompt and completion prices are required";
        ctx.addIssue({ code: "custom", path: ["models", mi, "endpoints", ei, "pricings"], message });
      }
    });
  });
}
