/**
 * Google Gemini: `models/{model}:generateContent`, `:streamGenerateContent` (SSE with
 * `alt=sse`, else one streamed JSON array), `:countTokens` and the `models` list, under the
 * Gemini API (`/v1beta`, `/v1`) and Vertex AI (`projects/…/publishers/…/models/…`) paths,
 * shaped as generativelanguage.googleapis.com answers so `@google/genai` and Gemini CLI accept it.
 */
import { applyFaults, type ErrorExtras, type Exchange, type Frame, playStream, sendResult } from "./exchange.ts";
import {
  argumentsFromSchema,
  contentTexts,
  estimatePromptTokens,
  imageTokens,
  isRecord,
  planContent,
  randomId,
  THINKING_TEXT,
  toolCallTokens,
  wordTokens,
} from "./generation.ts";
import type { Knobs } from "./knobs.ts";
import { modelIds } from "./openai-chat.ts";

export type GeminiMethod = "generateContent" | "streamGenerateContent" | "countTokens";

const STATUS_NAMES: Record<number, [status: string, message: string]> = {
  400: ["INVALID_ARGUMENT", "Request contains an invalid argument."],
  401: ["UNAUTHENTICATED", "Request had invalid authentication credentials."],
  403: ["PERMISSION_DENIED", "The caller does not have permission"],
  404: ["NOT_FOUND", "Requested entity was not found."],
  409: ["ABORTED", "The operation was aborted."],
  429: ["RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."],
  499: ["CANCELLED", "The operation was cancelled."],
  500: ["INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"],
  501: ["UNIMPLEMENTED", "Method not implemented."],
  503: ["UNAVAILABLE", "The model is overloaded. Please try again later."],
  504: ["DEADLINE_EXCEEDED", "Deadline expired before operation could complete."],
};

function statusName(status: number): [string, string] {
  return (
    STATUS_NAMES[status] ??
    (status >= 500 ? STATUS_NAMES[500] : status === 413 ? ["INVALID_ARGUMENT", "Request payload size exceeds the limit."] : STATUS_NAMES[400])
  );
}

function errorBody(status: number, message?: string, extras: ErrorExtras = {}) {
  const [name, defaultMessage] = statusName(status);
  const details = [...(extras.details ?? [])];
  if (status === 429 && details.length === 0) details.push({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1s" });
  return { error: { code: status, message: message ?? defaultMessage, status: extras.code ?? name, ...(details.length ? { details } : {}) } };
}

/** `{"error":{"code","message","status"[,"details"]}}`, Google's error body for every status. */
export function sendGeminiError(ex: Exchange, status: number, message?: string, extras: ErrorExtras = {}): void {
  ex.sendJson(status, errorBody(status, message, extras), extras.headers);
}

/** Part data fields Gemini knows (camelCase as the SDKs send, snake_case as protobuf JSON also allows). */
const DATA_FIELDS = new Set([
  ...["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"],
  ...["inline_data", "file_data", "function_call", "function_response", "executable_code", "code_execution_result"],
]);
const PART_FIELDS = new Set([
  ...DATA_FIELDS,
  ...["thought", "thoughtSignature", "thought_signature", "videoMetadata", "video_metadata", "mediaResolution", "partMetadata"],
]);
const ROLES = new Set(["user", "model", "function", ""]);

interface GeminiContent {
  role?: string;
  parts: Record<string, unknown>[];
}

/** Google's own wording for a malformed request, or null when `contents` is sound. */
function checkContents(contents: unknown, where: string): string | null {
  if (contents === undefined || (Array.isArray(contents) && contents.length === 0)) {
    return `* ${where}.contents: contents is not specified\n`;
  }
  if (!Array.isArray(contents)) return `Invalid JSON payload received. Invalid value at 'contents': expected a list.`;
  for (const [i, content] of contents.entries()) {
    if (!isRecord(content)) return `Invalid JSON payload received. Invalid value at 'contents[${i}]': expected an object.`;
    if (content.role !== undefined && !ROLES.has(String(content.role))) {
      return `Please use a valid role: user, model.`;
    }
    if (!Array.isArray(content.parts) || content.parts.length === 0) {
      return `* ${where}.contents[${i}].parts: contents.parts must not be empty.\n`;
    }
    for (const [j, part] of content.parts.entries()) {
      const at = `contents[${i}].parts[${j}]`;
      if (!isRecord(part)) return `Invalid JSON payload received. Invalid value at '${at}': expected an object.`;
      const unknown = Object.keys(part).find((key) => !PART_FIELDS.has(key));
      if (unknown !== undefined) return `Invalid JSON payload received. Unknown name "${unknown}" at '${at}': Cannot find field.`;
      if (!Object.keys(part).some((key) => DATA_FIELDS.has(key))) {
        return `* ${where}.${at}.data: required oneof field 'data' must have one initialized field\n`;
      }
    }
  }
  return null;
}

interface GenerateRequest {
  contents: GeminiContent[];
  systemInstruction?: unknown;
  tools?: unknown;
  toolConfig?: unknown;
  generationConfig?: unknown;
}

function partTexts(parts: unknown): string[] {
  if (!Array.isArray(parts)) return typeof parts === "string" ? [parts] : [];
  const texts = contentTexts(parts);
  for (const part of parts) {
    if (!isRecord(part)) continue;
    const call = part.functionCall ?? part.function_call;
    const response = part.functionResponse ?? part.function_response;
    if (isRecord(call)) texts.push(JSON.stringify(call.args ?? {}));
    if (isRecord(response)) texts.push(JSON.stringify(response.response ?? {}));
  }
  return texts;
}

/** ceil(chars / 4) + 4 per content; `systemInstruction` counts as one more content. */
function promptTokens(request: GenerateRequest): number {
  const system = request.systemInstruction;
  const systemTexts = isRecord(system) ? partTexts(system.parts) : partTexts(system);
  const texts = [...systemTexts, ...request.contents.flatMap((content) => partTexts(content.parts))];
  const images = request.contents.reduce((sum, content) => sum + imageTokens(content.parts), 0);
  return estimatePromptTokens(texts, request.contents.length + (systemTexts.length ? 1 : 0)) + images;
}

interface ToolTarget {
  name: string;
  parameters: unknown;
}

/** The function to call: none without declarations, with mode NONE, or right after a functionResponse. */
function chooseTool(request: GenerateRequest): ToolTarget | null {
  const declared: ToolTarget[] = [];
  for (const tool of Array.isArray(request.tools) ? request.tools : []) {
    const declarations = isRecord(tool) ? (tool.functionDeclarations ?? tool.function_declarations) : undefined;
    for (const fn of Array.isArray(declarations) ? declarations : []) {
      if (isRecord(fn) && typeof fn.name === "string") declared.push({ name: fn.name, parameters: fn.parameters ?? fn.parametersJsonSchema });
    }
  }
  const config = isRecord(request.toolConfig) && isRecord(request.toolConfig.functionCallingConfig) ? request.toolConfig.functionCallingConfig : {};
  if (declared.length === 0 || config.mode === "NONE") return null;
  const last = request.contents.at(-1);
  if (last?.parts.some((part) => part.functionResponse !== undefined || part.function_response !== undefined)) return null;
  const allowed = Array.isArray(config.allowedFunctionNames) ? config.allowedFunctionNames : [];
  return declared.find((tool) => allowed.includes(tool.name)) ?? declared[0];
}

function generationConfig(request: GenerateRequest): { maxTokens: number | null; includeThoughts: boolean } {
  const config = isRecord(request.generationConfig) ? request.generationConfig : {};
  const thinking = isRecord(config.thinkingConfig) ? config.thinkingConfig : {};
  const max = config.maxOutputTokens;
  return { maxTokens: typeof max === "number" && max > 0 ? max : null, includeThoughts: thinking.includeThoughts === true };
}

/** proto3 JSON leaves zero counts out, and so does Gemini. */
function usageMetadata(prompt: number, candidates: number, thoughts: number, knobs: Knobs): Record<string, unknown> {
  const promptTotal = prompt + knobs.cachedTokens + knobs.cacheWriteTokens;
  return {
    promptTokenCount: promptTotal,
    ...(candidates > 0 ? { candidatesTokenCount: candidates } : {}),
    totalTokenCount: promptTotal + candidates + thoughts,
    ...(knobs.cachedTokens > 0 ? { cachedContentTokenCount: knobs.cachedTokens } : {}),
    promptTokensDetails: [{ modality: "TEXT", tokenCount: promptTotal }],
    ...(knobs.cachedTokens > 0 ? { cacheTokensDetails: [{ modality: "TEXT", tokenCount: knobs.cachedTokens }] } : {}),
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  };
}

function parseGenerateRequest(ex: Exchange, body: unknown, where: string): GenerateRequest | null {
  if (!isRecord(body)) {
    sendGeminiError(ex, 400, "Invalid JSON payload received. Expected an object.");
    return null;
  }
  const invalid = checkContents(body.contents, where);
  if (invalid) {
    sendGeminiError(ex, 400, invalid);
    return null;
  }
  const config = body.generationConfig;
  if (config !== undefined && !isRecord(config)) {
    sendGeminiError(ex, 400, `Invalid JSON payload received. Invalid value at 'generation_config': expected an object.`);
    return null;
  }
  return body as unknown as GenerateRequest;
}

export async function handleGenerateContent(ex: Exchange, model: string, method: "generateContent" | "streamGenerateContent", sse: boolean): Promise<void> {
  const request = parseGenerateRequest(ex, ex.body, "GenerateContentRequest");
  if (!request) return;
  const stream = method === "streamGenerateContent";
  if (applyFaults(ex, stream, sendGeminiError)) return;

  const { knobs } = ex;
  const { maxTokens, includeThoughts } = generationConfig(request);
  const tool = knobs.toolCalls ? chooseTool(request) : null;
  const thoughtWords = includeThoughts ? wordTokens(THINKING_TEXT) : [];
  // Thoughts count against maxOutputTokens, as at Google.
  const thoughtsWanted = knobs.reasoningTokens + thoughtWords.length;
  const thoughts = maxTokens === null || knobs.ignoreMaxTokens ? thoughtsWanted : Math.min(thoughtsWanted, maxTokens);
  const plan = planContent(knobs, maxTokens, thoughts);
  const shownThoughts = thoughtWords.slice(0, Math.max(0, thoughts - knobs.reasoningTokens));
  const prompt = promptTokens(request);
  const responseId = randomId("", 22);

  // One part list per stream chunk; non-streamed, the same parts merged.
  const chunks: Record<string, unknown>[][] = shownThoughts.map((text) => [{ text, thought: true }]);
  let candidates = plan.tokens.length;
  if (tool) {
    const args = argumentsFromSchema(tool.parameters);
    // Thinking models sign their function calls; clients must send the signature back.
    const signature = thoughts > 0 ? { thoughtSignature: Buffer.from(randomId("sig_", 32)).toString("base64") } : {};
    chunks.push([{ functionCall: { name: tool.name, args }, ...signature }]);
    candidates = toolCallTokens(tool.name, JSON.stringify(args));
  } else {
    chunks.push(...plan.tokens.map((text) => [{ text }]));
  }
  if (chunks.length === 0) chunks.push([{ text: "" }]);
  const finishReason = knobs.finishReason ?? (!tool && plan.truncated ? "MAX_TOKENS" : "STOP");
  const usage = usageMetadata(prompt, candidates, thoughts, knobs);
  const response = (parts: Record<string, unknown>[], last: boolean) => ({
    candidates: [{ content: { parts, role: "model" }, ...(last ? { finishReason } : {}), index: 0 }],
    usageMetadata: last
      ? usage
      : { promptTokenCount: usage.promptTokenCount, totalTokenCount: usage.promptTokenCount, promptTokensDetails: usage.promptTokensDetails },
    modelVersion: model,
    responseId,
  });
  const headers = {};

  if (!stream) return sendResult(ex, response(mergeParts(chunks.flat()), true), chunks.length, headers);

  const frame = sse ? (payload: unknown) => `data: ${JSON.stringify(payload)}\r\n\r\n` : arrayFrame();
  const end: Frame[] = sse ? [] : [{ text: "]", content: false }];
  const streamHeaders = sse ? headers : { ...headers, "content-type": "application/json; charset=UTF-8" };
  let frames: Frame[];
  if (ex.faulty && knobs.errorFirstEvent) {
    ex.markFailed();
    frames = [{ text: frame(errorBody(500, knobs.failMessage ?? undefined)), content: false }, ...end];
  } else if (ex.faulty && knobs.emptyStream) {
    ex.markFailed();
    frames = [];
  } else {
    frames = [...chunks.map((parts, i) => ({ text: frame(response(parts, i === chunks.length - 1)), content: true })), ...end];
  }
  return playStream(ex, frames, streamHeaders, (message) => frame(errorBody(500, message ?? undefined)));
}

/** Without `alt=sse` Google streams one JSON array, an element at a time. */
function arrayFrame(): (payload: unknown) => string {
  let first = true;
  return (payload) => {
    const prefix = first ? "[" : ",\r\n";
    first = false;
    return prefix + JSON.stringify(payload);
  };
}

/** Adjacent text parts of the same kind (thought or not) joined, as a non-streamed answer has them. */
function mergeParts(parts: Record<string, unknown>[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const part of parts) {
    const previous = out.at(-1);
    if (previous && typeof previous.text === "string" && typeof part.text === "string" && previous.thought === part.thought) {
      out[out.length - 1] = { ...previous, text: previous.text + part.text };
    } else {
      out.push({ ...part });
    }
  }
  return out;
}

/** `:countTokens` with `contents` or a whole `generateContentRequest`. */
export function handleCountGeminiTokens(ex: Exchange): void {
  const body = isRecord(ex.body) && isRecord(ex.body.generateContentRequest) ? ex.body.generateContentRequest : ex.body;
  const request = parseGenerateRequest(ex, body, "CountTokensRequest");
  if (!request) return;
  const total = promptTokens(request);
  ex.sendJson(200, { totalTokens: total, promptTokensDetails: [{ modality: "TEXT", tokenCount: total }] });
}

/** `GET /v1beta/models[/<id>]`: Gemini's model list and model shapes; ids may contain a slash. */
export function handleGeminiModels(ex: Exchange, modelId: string | null, version: string): void {
  const toModel = (id: string) => ({
    name: `models/${id}`,
    version: "001",
    displayName: id,
    description: "A fake model served by the fake upstream.",
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 65_536,
    supportedGenerationMethods: ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: true,
  });
  const ids = modelIds(ex.knobs);
  if (modelId === null) return ex.sendJson(200, { models: ids.map(toModel) });
  const id = modelId.replace(/^models\//, "");
  if (!ids.includes(id)) {
    return sendGeminiError(
      ex,
      404,
      `models/${id} is not found for API version ${version}, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
    );
  }
  ex.sendJson(200, toModel(id));
}
