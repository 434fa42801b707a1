/**
 * Prices as the core meters them: ZenMux-shaped fee items, each a list of prices, tiered by
 * prompt (or completion) size in kTokens. The catalog file, the admin's price editor and
 * the metering all read this one schema. Pure: zod only.
 */
import { z } from "zod";

/** Fee items as ZenMux names them (reference/zenmux-docs/api/openai/openai-list-models.md). */
export const FEE_ITEMS = [
  "prompt",
  "completion",
  "input_cache_read",
  "input_cache_write",
  "input_cache_write_5_min",
  "input_cache_write_1_h",
  "internal_reasoning",
  "web_search",
  "image",
  "video",
  "audio",
  "audio_and_video",
  "request",
] as const;
export type FeeItem = (typeof FEE_ITEMS)[number];

const tokenRangeSchema = z
  .object({
    unit: z.literal("kTokens"),
    gte: z.number().nonnegative().optional(),
    gt: z.number().nonnegative().optional(),
    lte: z.number().nonnegative().optional(),
    lt: z.number().positive().nullable().optional(),
  })
  .strict()
  .refine((r) => !(r.gte !== undefined && r.gt !== undefined), "use either gte or gt, not both")
  .refine((r) => !(r.lte !== undefined && r.lt != null), "use either lte or lt, not both");
export type TokenRange = z.infer<typeof tokenRangeSchema>;

export const priceSchema = z
  .object({
    value: z.number().nonnegative("a price cannot be negative").finite(),
    unit: z.enum(["perMTokens", "perCount", "perSecond"]),
    currency: z.literal("USD"),
    conditions: z.object({ prompt_tokens: tokenRangeSchema.optional(), completion_tokens: tokenRangeSchema.optional() }).strict().optional(),
  })
  .strict();
export type Price = z.infer<typeof priceSchema>;

export const pricingsSchema = z
  .partialRecord(z.enum(FEE_ITEMS), z.array(priceSchema).min(1, "a fee item needs at least one price"))
  .superRefine((pricings, ctx) => {
    for (const [item, tiers] of Object.entries(pricings)) {
      const problem = tiers ? findTierProblem(tiers) : null;
      if (problem) ctx.addIssue({ code: "custom", path: [item], message: problem });
    }
  });
export type Pricings = z.infer<typeof pricingsSchema>;

/** Lower and upper bounds of a tier in tokens, upper exclusive (Infinity when open). */
export function tierBounds(range: TokenRange | undefined): { from: number; to: number } {
  if (!range) return { from: 0, to: Infinity };
  // kTokens; `gt: 32` starts at 32_001 tokens, `lte: 32` ends after 32_000.
  const from = range.gte !== undefined ? range.gte * 1000 : range.gt !== undefined ? range.gt * 1000 + 1 : 0;
  const to = range.lt != null ? range.lt * 1000 : range.lte !== undefined ? range.lte * 1000 + 1 : Infinity;
  return { from, to };
}

/**
 * Tiers of one fee item must cover every prompt size exactly once: a single price may
 * omit conditions; several prices must each have prompt_tokens conditions that
 * neither overlap nor leave a gap, starting at 0 and open at the top.
 */
export function findTierProblem(tiers: Price[]): string | null {
  if (tiers.length === 1) {
    const { from, to } = tierBounds(tiers[0].conditions?.prompt_tokens);
    if (from !== 0 || to !== Infinity) return "a single price must apply to every prompt size (no gap before or after its tier)";
    return null;
  }
  if (tiers.some((t) => !t.conditions?.prompt_tokens)) return "when a fee item has several prices, each needs conditions.prompt_tokens";
  const ranges = tiers.map((t) => tierBounds(t.conditions?.prompt_tokens)).sort((a, b) => a.from - b.from);
  if (ranges.some((r) => r.to <= r.from)) return "a tier's upper bound must be above its lower bound";
  if (ranges[0].from !== 0) return "tiers must start at 0 kTokens";
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i].from < ranges[i - 1].to) return "tiers overlap";
    if (ranges[i].from > ranges[i - 1].to) return "tiers leave a gap";
  }
  if (ranges[ranges.length - 1].to !== Infinity) return "the last tier must have no upper bound";
  return null;
}
