/**
 * OpenAI Chat Completions: `POST /v1/chat/completions` (JSON and SSE) and `GET /v1/models`,
 * shaped exactly like api.openai.com so the official SDK's strict stream helper accepts it.
 */
import { z } from "zod";
import { applyFaults, type ErrorExtras, type Exchange, type Frame, playStream, sendResult } from "./exchange.ts";
import {
  argumentsFromSchema,
  argumentsJson,
  contentTexts,
  estimatePromptTokens,
  imageTokens,
  isRecord,
  planContent,
  randomId,
  splitFragments,
  toolCallTokens,
} from "./generation.ts";
import type { Knobs } from "./knobs.ts";

const ERROR_KINDS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request." },
  401: { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided." },
  402: { type: "insufficient_quota", code: "insufficient_quota", message: "You exceeded your current quota." },
  403: { type: "invalid_request_error", code: "permission_denied", message: "You are not allowed to do this." },
  404: { type: "invalid_request_error", code: "not_found", message: "The requested resource was not found." },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests." },
};
const SERVER_ERROR = {
  type: "server_error",
  code: null,
  message: "The server had an error while processing your request. Sorry about that!",
};

function errorKind(status: number): { type: string; code: string | null; message: string } {
  return ERROR_KINDS[status] ?? (status >= 500 ? SERVER_ERROR : ERROR_KINDS[400]);
}

/** `{"error":{"message","type","param","code"}}`, the body every OpenAI error has. */
export function sendOpenAIError(ex: Exchange, status: number, message?: string, extras: ErrorExtras = {}): void {
  const kind = errorKind(status);
  const body = {
    error: {
      message: message ?? kind.message,
      type: kind.type,
      param: extras.param ?? null,
      code: extras.code !== undefined ? extras.code : kind.code,
    },
  };
  ex.sendJson(status, body, { "x-request-id": randomId("req_"), ...extras.headers });
}

const messageSchema = z.looseObject({
  role: z.string(),
  content: z.unknown().optional(),
  tool_calls: z.array(z.unknown()).nullish(),
});
const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.number().int().nullish(),
  max_completion_tokens: z.number().int().nullish(),
  tools: z.array(z.unknown()).nullish(),
  tool_choice: z.unknown().optional(),
});
type ChatRequest = z.infer<typeof chatRequestSchema>;

function validationError(body: unknown): { message: string; param: string } | null {
  if (!isRecord(body)) return { message: "We could not parse the JSON body of your request.", param: "" };
  const result = chatRequestSchema.safeParse(body);
  if (result.success) return null;
  const issue = result.error.issues[0];
  const param = issue.path.map(String).join(".");
  if (param === "model" && !body.model) return { message: "you must provide a model parameter", param };
  if (body[param] === undefined) return { message: `Missing required parameter: '${param}'.`, param };
  return { message: `Invalid value for '${param}': ${issue.message}`, param };
}

function promptTokens(request: ChatRequest): number {
  const texts: string[] = [];
  for (const message of request.messages) {
    texts.push(...contentTexts(message.content));
    for (const call of message.tool_calls ?? []) {
      if (isRecord(call) && isRecord(call.function) && typeof call.function.arguments === "string") {
        texts.push(call.function.arguments);
      }
    }
  }
  return estimatePromptTokens(texts, request.messages.length) + request.messages.reduce((sum, message) => sum + imageTokens(message.content), 0);
}

interface ToolTarget {
  name: string;
  parameters: unknown;
}

/** The tool to call, or null: no tools, tool_choice "none", or the last turn is a tool result. */
function chooseTool(request: ChatRequest): ToolTarget | null {
  const tools: ToolTarget[] = [];
  for (const tool of request.tools ?? []) {
    if (isRecord(tool) && isRecord(tool.function) && typeof tool.function.name === "string") {
      tools.push({ name: tool.function.name, parameters: tool.function.parameters });
    }
  }
  if (tools.length === 0 || request.tool_choice === "none") return null;
  if (request.messages.at(-1)?.role === "tool") return null;
  const choice = request.tool_choice;
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === "string") {
    const wanted = choice.function.name;
    return tools.find((tool) => tool.name === wanted) ?? { name: wanted, parameters: undefined };
  }
  return tools[0];
}

function usage(prompt: number, completion: number, knobs: Knobs, reasoning = knobs.reasoningTokens) {
  const promptTotal = prompt + knobs.cachedTokens + knobs.cacheWriteTokens;
  const completionTotal = completion + reasoning;
  return {
    prompt_tokens: promptTotal,
    completion_tokens: completionTotal,
    total_tokens: promptTotal + completionTotal,
    prompt_tokens_details: { cached_tokens: knobs.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** Headers api.openai.com sends on every generation answer (the Responses module shares them). */
export const OPENAI_HEADERS = {
  "openai-processing-ms": "1",
  "x-ratelimit-limit-requests": "10000",
  "x-ratelimit-remaining-requests": "9999",
  "x-ratelimit-reset-requests": "6ms",
  "x-ratelimit-limit-tokens": "10000000",
  "x-ratelimit-remaining-tokens": "9999000",
  "x-ratelimit-reset-tokens": "0s",
};

const data = (chunk: unknown): string => `data: ${JSON.stringify(chunk)}\n\n`;

export async function handleChatCompletions(ex: Exchange): Promise<void> {
  const invalid = validationError(ex.body);
  if (invalid) return sendOpenAIError(ex, 400, invalid.message, { param: invalid.param || null });
  const request = chatRequestSchema.parse(ex.body);
  const stream = request.stream === true;
  if (applyFaults(ex, stream, sendOpenAIError)) return;

  const { knobs } = ex;
  const id = randomId("chatcmpl-");
  const created = Math.floor(Date.now() / 1000);
  const headers = { ...OPENAI_HEADERS, "x-request-id": randomId("req_") };
  const prompt = promptTokens(request);
  const tool = knobs.toolCalls ? chooseTool(request) : null;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? null;
  // Reasoning counts against max_tokens as at OpenAI: never more than the cap allows.
  const reasoning = maxTokens === null || knobs.ignoreMaxTokens ? knobs.reasoningTokens : Math.min(knobs.reasoningTokens, maxTokens);
  const plan = planContent(knobs, maxTokens, reasoning);
  const call = tool ? { id: randomId("call_"), name: tool.name, arguments: argumentsJson(argumentsFromSchema(tool.parameters)) } : null;
  const finishReason = knobs.finishReason ?? (call ? "tool_calls" : plan.truncated ? "length" : "stop");
  const completion = call ? toolCallTokens(call.name, call.arguments) : plan.tokens.length;
  const fragments = call ? splitFragments(call.arguments) : plan.tokens;

  if (!stream) {
    const message = call
      ? {
          role: "assistant",
          content: null,
          refusal: null,
          annotations: [],
          tool_calls: [{ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } }],
        }
      : { role: "assistant", content: plan.tokens.join(""), refusal: null, annotations: [] };
    const body = {
      id,
      object: "chat.completion",
      created,
      model: request.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage: usage(prompt, completion, knobs, reasoning),
      service_tier: "default",
      system_fingerprint: "fp_fake",
    };
    return sendResult(ex, body, fragments.length, headers);
  }

  const includeUsage = request.stream_options?.include_usage === true;
  // OpenAI puts `usage: null` on every chunk only when include_usage was requested.
  const chunk = (delta: object, finish: string | null = null): string =>
    data({
      id,
      object: "chat.completion.chunk",
      created,
      model: request.model,
      system_fingerprint: "fp_fake",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });

  let frames: Frame[];
  if (ex.faulty && knobs.errorFirstEvent) {
    ex.markFailed();
    const message = knobs.failMessage ?? "The server had an error while processing your request.";
    frames = [{ text: data({ error: { message, type: "server_error", param: null, code: null } }), content: false }];
  } else if (ex.faulty && knobs.emptyStream) {
    ex.markFailed();
    frames = [];
  } else {
    frames = call
      ? [
          {
            text: chunk({
              role: "assistant",
              content: null,
              tool_calls: [{ index: 0, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
              refusal: null,
            }),
            content: false,
          },
          ...fragments.map((part) => ({
            text: chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] }),
            content: true,
          })),
        ]
      : [
          { text: chunk({ role: "assistant", content: "", refusal: null }), content: false },
          ...fragments.map((token) => ({ text: chunk({ content: token }), content: true })),
        ];
    frames.push({ text: chunk({}, finishReason), content: false });
    if (includeUsage) {
      const last = {
        id,
        object: "chat.completion.chunk",
        created,
        model: request.model,
        system_fingerprint: "fp_fake",
        choices: [],
        usage: usage(prompt, completion, knobs, reasoning),
      };
      frames.push({ text: data(last), content: false });
    }
    frames.push({ text: "data: [DONE]\n\n", content: false });
  }
  const errorFrame = (message: string | null) =>
    data({ error: { message: message ?? "The server had an error while processing your request.", type: "server_error", param: null, code: null } });
  return playStream(ex, frames, headers, errorFrame);
}

export function modelIds(knobs: Knobs): string[] {
  return knobs.models
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
}

/** `GET /v1/models` and `GET /v1/models/<id>` in OpenAI's list shape. */
export function handleOpenAIModels(ex: Exchange, modelId: string | null): void {
  const toModel = (id: string) => ({ id, object: "model", created: 1_700_000_000, owned_by: "fake-upstream" });
  const ids = modelIds(ex.knobs);
  if (modelId === null) return ex.sendJson(200, { object: "list", data: ids.map(toModel) });
  if (!ids.includes(modelId)) {
    return sendOpenAIError(ex, 404, `The model '${modelId}' does not exist`, { code: "model_not_found" });
  }
  ex.sendJson(200, toModel(modelId));
}
