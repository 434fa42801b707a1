/**
 * The Gemini generateContent / streamGenerateContent request body as Switchyard accepts
 * it. The model is not in the body (it is in the URL path: the surface adds it). The
 * fields the gateway reads or translates are validated; everything else passes through.
 * Google's JSON parser takes proto field names in either spelling (`inline_data` or
 * `inlineData`, as its own curl examples use both): each object the gateway reads is
 * normalised to lowerCamel here, never the user data inside it (args, schemas).
 * Gateway extras as on every surface: `provider`, `models`, `zenmux-route`.
 */
import { z } from "zod";
import { expected } from "../schema-errors.ts";
import { invalidParams, type GatewayError } from "../../errors.ts";
import { providerOptionsSchema, zenmuxRouteSchema } from "../gateway-options.ts";
import { MAX_TOKEN_FIELD } from "../openai-chat/request-schema.ts";

/** The keys of which a Part holds exactly one (Google's `data` oneof, plus the code-execution parts). */
export const PART_DATA_KEYS = ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"] as const;

const camel = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** `snake_case` keys of this one object → lowerCamel (a camel key already present wins). */
function camelKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (!entries.some(([key]) => key.includes("_"))) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) if (!key.includes("_")) out[key] = v;
  for (const [key, v] of entries) if (key.includes("_") && !(camel(key) in out)) out[camel(key)] = v;
  return out;
}

const protoObject = <T extends z.core.$ZodLooseShape>(shape: T) => z.preprocess(camelKeys, z.looseObject(shape));
const jsonObject = (what: string) => z.record(z.string(), z.unknown(), { error: `is not valid: expected ${what}` });
const required = (schema: z.ZodString) => schema.min(1, "is required");
const str = () => z.string({ error: expected("a string") });

const partSchema = protoObject({
  text: z.string().optional(),
  inlineData: protoObject({ mimeType: required(str()), data: required(str()) }).optional(),
  fileData: protoObject({ mimeType: z.string().optional(), fileUri: required(str()) }).optional(),
  functionCall: protoObject({ name: required(str()), args: jsonObject("an object").optional(), id: z.string().optional() }).optional(),
  functionResponse: protoObject({ name: required(str()), response: jsonObject("an object").optional(), id: z.string().optional() }).optional(),
  executableCode: protoObject({ code: z.string().optional(), language: z.string().optional() }).optional(),
  codeExecutionResult: protoObject({ outcome: z.string().optional(), output: z.string().optional() }).optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
}).superRefine((part, ctx) => {
  const present = PART_DATA_KEYS.filter((key) => part[key] !== undefined && part[key] !== null);
  if (present.length === 0) ctx.addIssue({ code: "custom", message: `is not valid: a part needs one of ${PART_DATA_KEYS.join(", ")}` });
  else if (present.length > 1)
    ctx.addIssue({ code: "custom", message: `is not valid: a part holds only one of ${PART_DATA_KEYS.join(", ")} (this one has ${present.join(" and ")})` });
});
export type GeminiPart = z.infer<typeof partSchema>;

const ROLES = ["user", "model", "function"] as const;
const contentSchema = protoObject({
  // "function" is the older name of the turn that carries functionResponse parts.
  role: z.enum(ROLES, { error: `is not valid: expected ${ROLES.join(", ")}` }).optional(),
  parts: z.array(partSchema, { error: expected("an array") }).min(1, "can not be empty"),
});
export type GeminiContent = z.infer<typeof contentSchema>;

/** The role of a system instruction is ignored (clients send "user", "system" or none). */
const systemContentSchema = protoObject({
  role: z.string().optional(),
  parts: z.array(partSchema, { error: expected("an array") }).min(1, "can not be empty"),
});

/** A string, or a Content whose errors keep their own path (a zod union would only say neither matched). */
const stringOrContent = z.unknown().transform((value, ctx): string | z.infer<typeof systemContentSchema> => {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: "is not valid: expected a Content object or a string" });
    return z.NEVER;
  }
  const result = systemContentSchema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

const functionDeclarationSchema = protoObject({
  name: required(str()).regex(
    /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,127}$/,
    "is not valid: a function name starts with a letter or _ and has at most 128 letters, digits, _ . : -",
  ),
  description: z.string().optional(),
  parameters: jsonObject("an OpenAPI schema object").optional(),
  parametersJsonSchema: jsonObject("a JSON schema object").optional(),
});
export type GeminiFunctionDeclaration = z.infer<typeof functionDeclarationSchema>;

/** functionDeclarations are translated; googleSearch, codeExecution, urlContext … are accepted (and left out when translated). */
const toolSchema = protoObject({ functionDeclarations: z.array(functionDeclarationSchema).optional() });

const MODES = ["MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"] as const;
const toolConfigSchema = protoObject({
  functionCallingConfig: protoObject({
    mode: z.enum(MODES, { error: `is not valid: expected ${MODES.slice(1).join(", ")}` }).optional(),
    allowedFunctionNames: z.array(z.string()).optional(),
  }).optional(),
});

const between = (min: number, max: number) =>
  z.number().min(min, `is not valid: must be between ${min} and ${max}`).max(max, `is not valid: must be between ${min} and ${max}`);
const int = () => z.number().int("must be an integer");

const generationConfigSchema = protoObject({
  temperature: between(0, 2).optional(),
  topP: between(0, 1).optional(),
  topK: int().min(1, "must be at least 1").optional(),
  candidateCount: int().min(1, "must be at least 1").optional(),
  maxOutputTokens: int().min(1, "must be at least 1").max(MAX_TOKEN_FIELD, `must be at most ${MAX_TOKEN_FIELD}`).optional(),
  stopSequences: z.array(z.string()).max(5, "can have at most 5 sequences").optional(),
  presencePenalty: between(-2, 2).optional(),
  frequencyPenalty: between(-2, 2).optional(),
  seed: int().optional(),
  responseMimeType: z.string().optional(),
  responseSchema: jsonObject("an OpenAPI schema object").optional(),
  responseJsonSchema: jsonObject("a JSON schema object").optional(),
  responseLogprobs: z.boolean().optional(),
  logprobs: int().min(0, "must be between 0 and 20").max(20, "must be between 0 and 20").optional(),
  thinkingConfig: protoObject({
    thinkingBudget: int().min(-1, "must be -1 (dynamic) or at least 0").optional(),
    includeThoughts: z.boolean().optional(),
    thinkingLevel: z.string().optional(),
  }).optional(),
});
export type GeminiGenerationConfig = z.infer<typeof generationConfigSchema>;

export const geminiRequestSchema = protoObject({
  contents: z.array(contentSchema, { error: expected("an array") }).min(1, "can not be empty"),
  systemInstruction: stringOrContent.optional(),
  tools: z.array(toolSchema).optional(),
  toolConfig: toolConfigSchema.optional(),
  generationConfig: generationConfigSchema.optional(),
  safetySettings: z.array(protoObject({ category: z.string().optional(), threshold: z.string().optional() })).optional(),
  cachedContent: z.string().optional(),
  provider: providerOptionsSchema.optional(),
  models: z.array(z.string().min(1)).optional(),
  "zenmux-route": zenmuxRouteSchema.optional(),
});

export type GeminiRequest = z.infer<typeof geminiRequestSchema>;

/** `contents[1].parts[0].inlineData`: Google's own way of naming a field. */
function describePath(path: PropertyKey[]): string {
  return path.reduce<string>((out, segment) => (typeof segment === "number" ? `${out}[${segment}]` : out ? `${out}.${String(segment)}` : String(segment)), "");
}

function invalidParamsFromIssue(issue: z.core.$ZodIssue): GatewayError {
  const field = describePath(issue.path);
  const message = issue.message.startsWith("Invalid")
    ? issue.code === "invalid_type"
      ? `is not valid: expected ${issue.expected}`
      : "is not valid"
    : issue.message;
  return invalidParams(field ? `${field}: ${message}` : message, field || undefined);
}

/** Validates a parsed JSON body; throws GatewayError(400, invalid_params) naming the first offending field. */
export function parseGeminiRequest(body: unknown): GeminiRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw invalidParams("The request body must be a JSON object");
  const result = geminiRequestSchema.safeParse(body);
  if (!result.success) throw invalidParamsFromIssue(result.error.issues[0]);
  return result.data;
}
