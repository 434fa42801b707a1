/**
 * OpenAI Responses: `POST /v1/responses` (JSON and SSE), shaped like api.openai.com so the
 * official SDK's `responses.stream()` accumulator and Codex CLI accept it: output items
 * (reasoning with summary, message with output_text, function_call), the full event
 * sequence with `sequence_number`, and usage with cached and reasoning tokens.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { applyFaults, type Exchange, type Frame, playStream, sendResult } from "./exchange.ts";
import { event, finalItem, type Item, streamFrames } from "./openai-responses-events.ts";
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
  THINKING_TEXT,
  toolCallTokens,
  wordTokens,
} from "./generation.ts";
import type { Knobs } from "./knobs.ts";
import { OPENAI_HEADERS, sendOpenAIError } from "./openai-chat.ts";

/** OpenAI rejects a smaller `max_output_tokens` with a 400. */
const MIN_OUTPUT_TOKENS = 16;

const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.unknown())]).optional(),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  max_output_tokens: z.number().int().min(MIN_OUTPUT_TOKENS).nullish(),
  tools: z.array(z.unknown()).nullish(),
  tool_choice: z.unknown().optional(),
  reasoning: z.looseObject({ effort: z.string().nullish(), summary: z.string().nullish() }).nullish(),
  include: z.array(z.string()).nullish(),
  previous_response_id: z.string().nullish(),
  store: z.boolean().nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  text: z.unknown().optional(),
  metadata: z.unknown().optional(),
});
type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

/** Input item types the fake knows; any other `type` is a 400, as at OpenAI. */
const ITEM_TYPES = new Set([
  "message",
  "function_call",
  "function_call_output",
  "reasoning",
  "item_reference",
  "custom_tool_call",
  "custom_tool_call_output",
  "local_shell_call",
  "local_shell_call_output",
  "web_search_call",
  "file_search_call",
  "computer_call",
  "computer_call_output",
  "image_generation_call",
  "code_interpreter_call",
  "mcp_call",
  "mcp_list_tools",
  "mcp_approval_request",
  "mcp_approval_response",
]);

interface Invalid {
  message: string;
  param: string | null;
}

function checkItems(items: unknown[], previousResponse: boolean): Invalid | null {
  const calls = new Set<string>();
  for (const [index, item] of items.entries()) {
    const param = `input[${index}]`;
    if (!isRecord(item)) return { message: `Invalid type for '${param}': expected an object.`, param };
    const type = item.type ?? "message";
    if (typeof type !== "string" || !ITEM_TYPES.has(type)) {
      return { message: `Invalid value: '${String(type)}'. Supported values are: ${[...ITEM_TYPES].map((t) => `'${t}'`).join(", ")}.`, param: `${param}.type` };
    }
    if (type === "message") {
      if (typeof item.role !== "string") return { message: `Missing required parameter: '${param}.role'.`, param: `${param}.role` };
      if (typeof item.content !== "string" && !Array.isArray(item.content)) {
        return { message: `Missing required parameter: '${param}.content'.`, param: `${param}.content` };
      }
    }
    if (type === "function_call") {
      for (const field of ["call_id", "name", "arguments"]) {
        if (typeof item[field] !== "string") return { message: `Missing required parameter: '${param}.${field}'.`, param: `${param}.${field}` };
      }
      calls.add(String(item.call_id));
    }
    if (type === "function_call_output") {
      if (typeof item.call_id !== "string") return { message: `Missing required parameter: '${param}.call_id'.`, param: `${param}.call_id` };
      if (item.output === undefined) return { message: `Missing required parameter: '${param}.output'.`, param: `${param}.output` };
      // Without a stored earlier response, the call it answers must be in this input.
      if (!previousResponse && !calls.has(item.call_id)) {
        return { message: `No tool call found for function call output with call_id ${item.call_id}.`, param: "input" };
      }
    }
  }
  return null;
}

function validationError(body: unknown): Invalid | null {
  if (!isRecord(body)) return { message: "We could not parse the JSON body of your request.", param: null };
  const result = responsesRequestSchema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const param = issue.path.map(String).join(".");
    if (param === "model" && !body.model) return { message: "Missing required parameter: 'model'.", param };
    if (param === "max_output_tokens" && issue.code === "too_small") {
      return {
        message: `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= ${MIN_OUTPUT_TOKENS}, but got ${String(body.max_output_tokens)} instead.`,
        param,
      };
    }
    return { message: `Invalid value for '${param}': ${issue.message}`, param };
  }
  const { input, previous_response_id: previous } = result.data;
  return Array.isArray(input) ? checkItems(input, typeof previous === "string") : null;
}

/** Instructions count as one message; each input item as one more. */
function promptTokens(request: ResponsesRequest): number {
  const texts: string[] = request.instructions ? [request.instructions] : [];
  const items = typeof request.input === "string" ? [{ role: "user", content: request.input }] : (request.input ?? []);
  let images = 0;
  for (const item of items) {
    if (!isRecord(item)) continue;
    texts.push(...contentTexts(item.content));
    if (typeof item.arguments === "string") texts.push(item.arguments);
    if (item.type === "function_call_output") texts.push(...contentTexts(item.output));
    images += imageTokens(item.content);
  }
  return estimatePromptTokens(texts, items.length + (request.instructions ? 1 : 0)) + images;
}

interface ToolTarget {
  name: string;
  parameters: unknown;
}

/** The function to call, or null: no function tools, tool_choice "none", or the input ends with a tool result. */
function chooseTool(request: ResponsesRequest): ToolTarget | null {
  const tools: ToolTarget[] = [];
  for (const tool of request.tools ?? []) {
    if (isRecord(tool) && tool.type === "function" && typeof tool.name === "string") {
      tools.push({ name: tool.name, parameters: tool.parameters });
    }
  }
  if (tools.length === 0 || request.tool_choice === "none") return null;
  const last = Array.isArray(request.input) ? request.input.at(-1) : undefined;
  if (isRecord(last) && last.type === "function_call_output") return null;
  const choice = request.tool_choice;
  if (isRecord(choice) && choice.type === "function" && typeof choice.name === "string") {
    const wanted = choice.name;
    return tools.find((tool) => tool.name === wanted) ?? { name: wanted, parameters: undefined };
  }
  return tools[0];
}

function usage(prompt: number, output: number, reasoning: number, knobs: Knobs) {
  const input = prompt + knobs.cachedTokens + knobs.cacheWriteTokens;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: knobs.cachedTokens },
    output_tokens: output + reasoning,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output + reasoning,
  };
}

const SUMMARY_KINDS = new Set(["auto", "concise", "detailed"]);

/** OpenAI's ids: a prefix and 48 hex characters. */
const hexId = (prefix: string): string => prefix + randomBytes(24).toString("hex");

interface Outcome {
  status: "completed" | "incomplete" | "failed";
  incomplete: { reason: string } | null;
  error: { code: string; message: string } | null;
}

function outcome(knobs: Knobs, truncated: boolean): Outcome {
  const reason = knobs.finishReason ?? (truncated ? "max_output_tokens" : null);
  if (reason === "failed") {
    const message = knobs.failMessage ?? "The server had an error while processing your request. Sorry about that!";
    return { status: "failed", incomplete: null, error: { code: "server_error", message } };
  }
  if (reason !== null) return { status: "incomplete", incomplete: { reason }, error: null };
  return { status: "completed", incomplete: null, error: null };
}

export async function handleResponses(ex: Exchange): Promise<void> {
  const invalid = validationError(ex.body);
  if (invalid) return sendOpenAIError(ex, 400, invalid.message, { param: invalid.param });
  const request = responsesRequestSchema.parse(ex.body);
  const stream = request.stream === true;
  if (applyFaults(ex, stream, sendOpenAIError)) return;

  const { knobs } = ex;
  const prompt = promptTokens(request);
  const tool = knobs.toolCalls ? chooseTool(request) : null;
  const maxTokens = request.max_output_tokens ?? null;
  const summaryWanted = SUMMARY_KINDS.has(request.reasoning?.summary ?? "");
  const effort = request.reasoning?.effort ?? null;
  const items: Item[] = [];
  const summary = summaryWanted ? wordTokens(THINKING_TEXT) : null;
  if (summary || (effort !== null && effort !== "none") || knobs.reasoningTokens > 0) {
    const encrypted = request.include?.includes("reasoning.encrypted_content") ? `gAAAAA${randomId("", 64)}` : null;
    items.push({ kind: "reasoning", id: hexId("rs_"), summary, encrypted });
  }
  // Reasoning (its summary words too) counts against max_output_tokens, as at OpenAI.
  const reasoningWanted = knobs.reasoningTokens + (summary?.length ?? 0);
  const reasoning = maxTokens === null || knobs.ignoreMaxTokens ? reasoningWanted : Math.min(reasoningWanted, maxTokens);
  const plan = planContent(knobs, maxTokens, reasoning);
  let output = plan.tokens.length;
  if (tool) {
    const args = argumentsJson(argumentsFromSchema(tool.parameters));
    items.push({ kind: "function_call", id: hexId("fc_"), callId: randomId("call_"), name: tool.name, parts: splitFragments(args) });
    output = toolCallTokens(tool.name, args);
  } else if (plan.tokens.length > 0 || !plan.truncated) {
    // A reply cut before its first word has no message item at all, as at OpenAI.
    items.push({ kind: "message", id: hexId("msg_"), parts: plan.tokens, truncated: plan.truncated });
  }
  const result = outcome(knobs, !tool && plan.truncated);
  const createdAt = Math.floor(Date.now() / 1000);
  const headers = { ...OPENAI_HEADERS, "x-request-id": randomId("req_") };

  const base = {
    id: hexId("resp_"),
    object: "response",
    created_at: createdAt,
    status: "in_progress" as string,
    background: false,
    error: null as Outcome["error"],
    incomplete_details: null as Outcome["incomplete"],
    instructions: request.instructions ?? null,
    max_output_tokens: maxTokens,
    max_tool_calls: null,
    model: request.model,
    output: [] as object[],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    prompt_cache_key: null,
    reasoning: { effort, summary: request.reasoning?.summary ?? null },
    safety_identifier: null,
    service_tier: "default",
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: request.text ?? { format: { type: "text" }, verbosity: "medium" },
    tool_choice: request.tool_choice ?? "auto",
    tools: request.tools ?? [],
    top_logprobs: 0,
    top_p: request.top_p ?? 1,
    truncation: "disabled",
    usage: null as ReturnType<typeof usage> | null,
    user: null,
    metadata: request.metadata ?? {},
  };
  const final = {
    ...base,
    status: result.status,
    error: result.error,
    incomplete_details: result.incomplete,
    output: items.map(finalItem),
    usage: usage(prompt, output, reasoning, knobs),
  };
  const contentChunks = items.reduce((sum, item) => sum + (item.kind === "reasoning" ? (item.summary?.length ?? 0) : item.parts.length), 0);

  if (!stream) return sendResult(ex, final, contentChunks, headers);

  let frames: Frame[];
  if (ex.faulty && knobs.errorFirstEvent) {
    ex.markFailed();
    const message = knobs.failMessage ?? "The server had an error while processing your request. Sorry about that!";
    frames = [{ text: event({ type: "error", code: "server_error", message, param: null, sequence_number: 0 }), content: false }];
  } else if (ex.faulty && knobs.emptyStream) {
    ex.markFailed();
    frames = [];
  } else {
    frames = streamFrames(base, final, items);
  }
  const errorFrame = (message: string | null) =>
    event({
      type: "error",
      code: "server_error",
      message: message ?? "The server had an error while processing your request. Sorry about that!",
      param: null,
      sequence_number: frames.length,
    });
  return playStream(ex, frames, headers, errorFrame);
}
