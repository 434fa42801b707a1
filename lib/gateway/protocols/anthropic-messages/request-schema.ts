/**
 * The Anthropic Messages request as Switchyard accepts it. Validated where a mistake
 * would otherwise reach the upstream (required fields, roles, block types, tool
 * schemas, base64 images); everything else passes through untouched so a native
 * upstream receives exactly what the client sent (cache_control, thinking signatures,
 * metadata, betas). Gateway extras as on the OpenAI surface: `provider`, `models`.
 */
import { z } from "zod";
import { GatewayError } from "../../errors.ts";
import { providerOptionsSchema, zenmuxRouteSchema } from "../gateway-options.ts";
import { MAX_TOKEN_FIELD } from "../openai-chat/request-schema.ts";

const tokenCount = (min: number) =>
  z.number().int("must be an integer").min(min, `must be at least ${min}`).max(MAX_TOKEN_FIELD, `must be at most ${MAX_TOKEN_FIELD}`);

const KNOWN_BLOCK_TYPES = [
  "text",
  "image",
  "document",
  "tool_use",
  "tool_result",
  "thinking",
  "redacted_thinking",
  "server_tool_use",
  "web_search_tool_result",
  "search_result",
  "container_upload",
  "mcp_tool_use",
  "mcp_tool_result",
] as const;
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"] as const;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const imageSourceSchema = z.discriminatedUnion(
  "type",
  [
    z.looseObject({
      type: z.literal("base64"),
      media_type: z.enum(IMAGE_TYPES, { error: `must be one of ${IMAGE_TYPES.join(", ")}` }),
      data: z
        .string()
        .min(1, "is empty")
        .refine((d) => d.length % 4 === 0 && BASE64.test(d), "is not valid base64"),
    }),
    z.looseObject({ type: z.literal("url"), url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }) }),
    z.looseObject({ type: z.literal("file"), file_id: z.string().min(1) }),
  ],
  { error: "type must be base64, url or file" },
);

const blockSchema = z
  .looseObject({ type: z.enum(KNOWN_BLOCK_TYPES, { error: `is not a known content block type (${KNOWN_BLOCK_TYPES.join(", ")})` }) })
  .superRefine((block, ctx) => {
    const b = block as Record<string, unknown>;
    if (b.type === "text" && typeof b.text !== "string") ctx.addIssue({ code: "custom", path: ["text"], message: "is required" });
    if (b.type === "image") {
      const source = imageSourceSchema.safeParse(b.source);
      if (!source.success) for (const issue of source.error.issues) ctx.addIssue({ code: "custom", path: ["source", ...issue.path], message: issue.message });
    }
    if (b.type === "tool_use" && (typeof b.id !== "string" || typeof b.name !== "string")) ctx.addIssue({ code: "custom", message: "needs id and name" });
    if (b.type === "tool_result" && typeof b.tool_use_id !== "string") ctx.addIssue({ code: "custom", path: ["tool_use_id"], message: "is required" });
  });

const blocksSchema = z.array(blockSchema);
export type ContentBlock = z.infer<typeof blockSchema>;

const messageSchema = z.looseObject({
  // `system` turns inside messages are sent by current Claude Code (mid-conversation system blocks).
  role: z.enum(["user", "assistant", "system"], { error: "must be user, assistant or system" }),
  // Checked in two steps so a bad block is reported at its own path, not as "not a string".
  content: z
    .union([z.string(), z.array(z.unknown())], { error: "must be a string or a list of content blocks" })
    .superRefine((content, ctx) => {
      if (typeof content === "string") return;
      const blocks = blocksSchema.safeParse(content);
      if (!blocks.success) for (const issue of blocks.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    })
    .transform((content) => content as string | ContentBlock[]),
});

const toolSchema = z.looseObject({ name: z.string(), type: z.string().optional(), input_schema: z.unknown().optional() }).superRefine((tool, ctx) => {
  // Server tools (web search, code execution…) carry a versioned `type`; custom tools need a schema.
  if (tool.type && tool.type !== "custom") return;
  if (!/^[a-zA-Z0-9_-]{1,128}$/.test(tool.name)) ctx.addIssue({ code: "custom", path: ["name"], message: "must match ^[a-zA-Z0-9_-]{1,128}$" });
  const schema = tool.input_schema as { type?: unknown } | undefined;
  if (!schema || typeof schema !== "object" || schema.type !== "object")
    ctx.addIssue({ code: "custom", path: ["input_schema"], message: 'must be a JSON schema object with "type": "object"' });
});

export const messagesRequestSchema = z.looseObject({
  model: z.string({ error: "Field required" }).trim().min(1, "Field required"),
  max_tokens: z.number({ error: "Field required" }).pipe(tokenCount(1)),
  messages: z.array(messageSchema, { error: "Field required" }).min(1, "at least one message is required"),
  system: z
    .union([z.string(), z.array(z.looseObject({ type: z.literal("text"), text: z.string() }))], { error: "must be a string or a list of text blocks" })
    .optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: tokenCount(0).optional(),
  stop_sequences: z.array(z.string()).optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: z.looseObject({ type: z.enum(["auto", "any", "tool", "none"], { error: "type must be auto, any, tool or none" }) }).optional(),
  thinking: z
    .looseObject({
      type: z.enum(["enabled", "disabled", "adaptive"], { error: "type must be enabled, disabled or adaptive" }),
      budget_tokens: tokenCount(1).optional(),
    })
    .optional(),
  metadata: z.looseObject({}).optional(),
  provider: providerOptionsSchema.optional(),
  models: z.array(z.string().min(1)).optional(),
  "zenmux-route": zenmuxRouteSchema.optional(),
});

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** Anthropic's own style of path: `messages.0.content.1.type`. */
function describePath(path: PropertyKey[]): string {
  return path.map(String).join(".");
}

export function parseMessagesRequest(body: unknown): MessagesRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new GatewayError(400, "invalid_params", "The request body must be a JSON object");
  const result = messagesRequestSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const message = issue.message.startsWith("Invalid") ? `is not valid${issue.code === "invalid_type" ? `: expected ${issue.expected}` : ""}` : issue.message;
    throw new GatewayError(400, "invalid_params", `${describePath(issue.path)}: ${message}`, describePath(issue.path));
  }
  const request = result.data;
  if (request.messages[0].role !== "user")
    throw new GatewayError(400, "invalid_params", "messages.0.role: the first message must use the user role", "messages.0.role");
  return request;
}
