/**
 * The documented shapes of the two public model lists, written from the docs rather
 * than from our code: ZenMux's reference/zenmux-docs/api/openai/openai-list-models.md
 * and Anthropic's GET /v1/models (plus ZenMux's extra fields on its Anthropic list).
 * One extension of ours: embedding models (README "Embeddings") on the OpenAI list, with
 * `output_modalities: ["embedding"]` and a prompt price only.
 */
import { z } from "zod";

const modality = z.enum(["text", "image", "video", "audio", "file"]);
const tokenCondition = z.object({
  unit: z.literal("kTokens"),
  gte: z.number().optional(),
  gt: z.number().optional(),
  lte: z.number().optional(),
  lt: z.number().nullable().optional(),
});
const price = z.object({
  value: z.number().nonnegative(),
  unit: z.enum(["perMTokens", "perCount", "perSecond"]),
  currency: z.literal("USD"),
  conditions: z.object({ prompt_tokens: tokenCondition.optional(), completion_tokens: tokenCondition.optional() }).optional(),
});
const pricings = z.object({ prompt: z.array(price).min(1), completion: z.array(price).min(1) }).catchall(z.array(price));

const zenMuxChatModelSchema = z.object({
  id: z.string().regex(/^[^/]+\/[^/]+$/),
  object: z.literal("model"),
  display_name: z.string().min(1),
  created: z.number().int().positive(),
  owned_by: z.string().min(1),
  input_modalities: z.array(modality).min(1),
  output_modalities: z.array(modality).min(1),
  capabilities: z.object({ reasoning: z.boolean() }),
  context_length: z.number().int().positive(),
  pricings,
});
const zenMuxEmbeddingModelSchema = zenMuxChatModelSchema.extend({
  output_modalities: z.tuple([z.literal("embedding")]),
  pricings: z.object({ prompt: z.array(price).min(1) }).catchall(z.array(price)),
});
export const zenMuxModelSchema = z.union([zenMuxChatModelSchema, zenMuxEmbeddingModelSchema]);
export const zenMuxModelListSchema = z.object({ object: z.literal("list"), data: z.array(zenMuxModelSchema) });

export const anthropicModelSchema = z.object({
  type: z.literal("model"),
  id: z.string().min(1),
  display_name: z.string().min(1),
  created_at: z.iso.datetime(),
  max_input_tokens: z.number().int().positive(),
  max_tokens: z.number().int().positive().nullable(),
  input_modalities: z.array(modality).min(1),
  output_modalities: z.array(modality).min(1),
  capabilities: z.object({ reasoning: z.boolean() }),
  context_length: z.number().int().positive(),
  pricings,
});
export const anthropicModelListSchema = z.object({
  data: z.array(anthropicModelSchema),
  has_more: z.boolean(),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
});
