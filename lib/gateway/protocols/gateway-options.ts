/**
 * The gateway's own request fields, shared by both client protocols: ZenMux's
 * `provider` (routing and fallback), the seed FAQ's `zenmux-route`, and OpenRouter's
 * `models` fallback list. Never sent upstream.
 */
import { z } from "zod";

export const routingSchema = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("priority"),
      primary_factor: z.enum(["latency", "price", "throughput"], { error: "is not valid: expected latency, price or throughput" }),
    }),
    z.object({ type: z.literal("order"), providers: z.array(z.string().min(1)).min(1, "can not be empty") }),
  ],
  { error: 'is not valid: expected {"type":"priority",…} or {"type":"order",…}' },
);

export const providerOptionsSchema = z.looseObject({
  routing: routingSchema.optional(),
  fallback: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
});

export const zenmuxRouteSchema = z.looseObject({
  strategy: z.enum(["cost", "latency", "price", "throughput"], { error: "is not valid: expected cost or latency" }).optional(),
  fallback: z.array(z.string().min(1)).optional(),
});

/** Fields the gateway consumes; never sent upstream. */
export const GATEWAY_ONLY_FIELDS = ["provider", "models", "zenmux-route"] as const;

export function withoutGatewayFields(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  for (const field of GATEWAY_ONLY_FIELDS) delete copy[field];
  return copy;
}
