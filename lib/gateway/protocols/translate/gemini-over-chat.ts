/**
 * A Gemini client (generateContent) served by a Chat Completions upstream, the mirror of
 * chat-over-gemini.ts: the request goes out as a Chat body, the answer comes back as a
 * GenerateContentResponse (streams: gemini-over-chat-stream.ts). Chat is the hub: a
 * Messages or Responses upstream is reached by translating this Chat body on. Pure.
 * Mapped per reference/zenmux-docs/api/protocol-conversion.md ("Gemini → Chat
 * Completions", "Response Field Conversion", "Usage Field Conversion"); what Chat cannot
 * express is left out and named in `dropped`.
 *
 * Gemini pairs a functionResponse with its functionCall by name and order (or by `id`,
 * when the client echoes one); Chat by tool_call_id. A call without an id gets
 * `call_<n>` (n counts the id-less calls, skipping ids the client used); a response
 * takes the id of the call with its own id, else of the first unanswered call of its
 * name, so the pairs survive. The answer puts the upstream's call id into
 * functionCall.id, which Gemini clients send back with the response.
 */
import { GATEWAY_ONLY_FIELDS } from "../gateway-options.ts";
import type { GeminiContent, GeminiGenerationConfig, GeminiPart, GeminiRequest } from "../google-gemini/request-schema.ts";
import { isRecord } from "../openai-responses/response-object.ts";
import type { Translated } from "./chat-over-messages.ts";
import { answerParts, finishReasonToGemini, geminiEnvelope, usageToGeminiFromChat, type GeminiAnswerShape } from "./gemini-over-chat-stream.ts";

export { createChatToGeminiStream, finishReasonToGemini, usageToGeminiFromChat, type GeminiAnswerShape } from "./gemini-over-chat-stream.ts";

type Json = Record<string, unknown>;
type Call = { id: string; name: string; answered: boolean };

/** Read below (model is in the URL path, and a body's copy is ignored); anything else is named in `dropped`. */
const HANDLED_FIELDS = new Set<string>([...GATEWAY_ONLY_FIELDS, "model", "contents", "systemInstruction", "tools", "toolConfig", "generationConfig"]);

function note(dropped: string[], message: string): void {
  if (!dropped.includes(message)) dropped.push(message);
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** A Gemini request → a Chat Completions body for `options.model`. */
export function geminiRequestToChat(request: GeminiRequest, options: { model: string; stream: boolean }): Translated<Json> {
  const dropped: string[] = [];
  const messages: Json[] = [...systemMessages(request.systemInstruction, dropped)];
  const calls: Call[] = [];
  const nextId = callIds(request.contents);
  request.contents.forEach((content, i) => {
    const where = `contents[${i}]`;
    if (content.role === "model") messages.push(...assistantMessages(content, calls, nextId, where, dropped));
    else messages.push(...userMessages(content, calls, where, dropped));
  });
  const body: Json = { model: options.model, messages };
  applyTools(request, body, dropped);
  applyGenerationConfig(request.generationConfig, body, dropped);
  if (options.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  for (const [key, value] of Object.entries(request))
    if (!HANDLED_FIELDS.has(key) && value !== undefined && value !== null) note(dropped, `${key} (no Chat Completions equivalent)`);
  return { body, dropped };
}

/** One system message per text part: the exact inverse of chat-over-gemini. */
function systemMessages(system: GeminiRequest["systemInstruction"], dropped: string[]): Json[] {
  if (system === undefined) return [];
  if (typeof system === "string") return system ? [{ role: "system", content: system }] : [];
  return system.parts.flatMap((part, j) => {
    if (typeof part.text === "string") return part.text ? [{ role: "system", content: part.text }] : [];
    note(dropped, `systemInstruction.parts[${j}] (only text parts can be a system message)`);
    return [];
  });
}

/** Ids for calls that have none: call_<n>, n counting the request's calls, skipping any id the client gave. */
function callIds(contents: GeminiContent[]): () => string {
  const taken = new Set(contents.flatMap((content) => content.parts.map((part) => part.functionCall?.id).filter((id): id is string => Boolean(id))));
  let n = 0;
  return () => {
    while (taken.has(`call_${n}`)) n++;
    return `call_${n++}`;
  };
}

function assistantMessages(content: GeminiContent, calls: Call[], nextId: () => string, where: string, dropped: string[]): Json[] {
  const texts: string[] = [];
  const toolCalls: Json[] = [];
  content.parts.forEach((part, j) => {
    if (part.thought === true) note(dropped, "thought parts in model turns (Chat upstreams take no reasoning input)");
    else if (typeof part.text === "string") texts.push(part.text);
    else if (part.functionCall) {
      const call: Call = { id: part.functionCall.id || nextId(), name: part.functionCall.name, answered: false };
      calls.push(call);
      toolCalls.push({ id: call.id, type: "function", function: { name: call.name, arguments: JSON.stringify(part.functionCall.args ?? {}) } });
    } else note(dropped, `${where}.parts[${j}] (${partKind(part)} parts in model turns have no Chat form)`);
  });
  const joined = texts.join("");
  if (!joined && toolCalls.length === 0) return [];
  return [{ role: "assistant", content: joined || null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) }];
}

/** A user turn → its function responses as tool messages first (they must follow the calls), then the rest as one user message. */
function userMessages(content: GeminiContent, calls: Call[], where: string, dropped: string[]): Json[] {
  const tools: Json[] = [];
  const parts: Json[] = [];
  content.parts.forEach((part, j) => {
    const at = `${where}.parts[${j}]`;
    if (part.functionResponse) {
      const tool = toolMessage(part.functionResponse, calls);
      if (tool) tools.push(tool);
      else note(dropped, `${at} (a functionResponse for a call not in the history)`);
      if (Array.isArray(part.functionResponse.parts) && part.functionResponse.parts.length > 0)
        note(dropped, `${at}.functionResponse.parts (Chat tool messages are text only)`);
      return;
    }
    const chatPart = userPart(part, at, dropped);
    if (chatPart) parts.push(chatPart);
  });
  if (parts.length === 0) return tools;
  const only = parts.length === 1 && parts[0].type === "text" ? text(parts[0].text) : null;
  return [...tools, { role: "user", content: only ?? parts }];
}

/** The call a response answers: the one with its id, else the first unanswered call of that name. */
function toolMessage(response: NonNullable<GeminiPart["functionResponse"]>, calls: Call[]): Json | null {
  const call =
    calls.find((c) => !c.answered && response.id !== undefined && c.id === response.id) ?? calls.find((c) => !c.answered && c.name === response.name);
  if (!call) return null;
  call.answered = true;
  const result = response.response ?? {};
  // Gemini clients wrap a tool's text as {output: "…"} (chat-over-gemini does too): the text itself is what the model should read.
  const keys = Object.keys(result);
  const content = keys.length === 1 && keys[0] === "output" && typeof result.output === "string" ? result.output : JSON.stringify(result);
  return { role: "tool", tool_call_id: call.id, content };
}

const IMAGE_EXTENSIONS: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" };
const AUDIO_FORMATS: Record<string, string> = { "audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav", "audio/mp3": "mp3", "audio/mpeg": "mp3" };

function partKind(part: GeminiPart): string {
  if (part.inlineData) return `inlineData ${part.inlineData.mimeType}`;
  if (part.fileData) return `fileData ${part.fileData.mimeType ?? ""}`.trim();
  return Object.keys(part).find((key) => key !== "thought" && key !== "thoughtSignature") ?? "empty";
}

function userPart(part: GeminiPart, at: string, dropped: string[]): Json | null {
  if (typeof part.text === "string") return { type: "text", text: part.text };
  if (part.inlineData) {
    const { mimeType, data } = part.inlineData;
    const type = mimeType.toLowerCase();
    if (type.startsWith("image/")) return { type: "image_url", image_url: { url: `data:${mimeType};base64,${data}` } };
    if (AUDIO_FORMATS[type]) return { type: "input_audio", input_audio: { data, format: AUDIO_FORMATS[type] } };
    if (type.startsWith("audio/") || type.startsWith("video/")) {
      note(dropped, `${at} (${mimeType} has no Chat Completions form: audio must be wav or mp3)`);
      return null;
    }
    // Documents (PDF, text …) as Chat's file part, the form chat-over-gemini reads back.
    const extension = type.split("/")[1]?.split(/[+;]/)[0] || "bin";
    return { type: "file", file: { filename: `document.${extension}`, file_data: `data:${mimeType};base64,${data}` } };
  }
  if (part.fileData) {
    const { fileUri, mimeType } = part.fileData;
    const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(fileUri)?.[1]?.toLowerCase() ?? "";
    if ((mimeType ?? IMAGE_EXTENSIONS[extension] ?? "").toLowerCase().startsWith("image/")) return { type: "image_url", image_url: { url: fileUri } };
    note(dropped, `${at} (fileData ${mimeType ?? "of an unknown type"}: only images can be sent by URI to Chat upstreams)`);
    return null;
  }
  if (part.thought === true) note(dropped, `${at} (a thought part in a user turn)`);
  else note(dropped, `${at} (${partKind(part)} parts in user turns have no Chat form)`);
  return null;
}

// ---- tools ----

/** Gemini's OpenAPI-subset schema → JSON Schema: lower-case types, `nullable` as a "null" type. */
export function fromGeminiSchema(schema: unknown): unknown {
  if (!isRecord(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "type" && typeof value === "string") {
      if (value !== "TYPE_UNSPECIFIED") out.type = value.toLowerCase();
    } else if (key === "properties" && isRecord(value))
      out.properties = Object.fromEntries(Object.entries(value).map(([name, v]) => [name, fromGeminiSchema(v)]));
    else if ((key === "items" || key === "additionalProperties") && isRecord(value)) out[key] = fromGeminiSchema(value);
    else if ((key === "anyOf" || key === "oneOf" || key === "allOf") && Array.isArray(value)) out[key] = value.map(fromGeminiSchema);
    else if (key !== "nullable" && key !== "propertyOrdering") out[key] = value;
  }
  if (schema.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  return out;
}

const EMPTY_PARAMETERS = { type: "object", properties: {} };

function applyTools(request: GeminiRequest, body: Json, dropped: string[]): void {
  const tools: Json[] = [];
  (request.tools ?? []).forEach((tool, i) => {
    for (const declaration of tool.functionDeclarations ?? []) {
      const parameters = declaration.parametersJsonSchema ?? (declaration.parameters ? fromGeminiSchema(declaration.parameters) : EMPTY_PARAMETERS);
      tools.push({
        type: "function",
        function: { name: declaration.name, ...(declaration.description ? { description: declaration.description } : {}), parameters },
      });
    }
    for (const key of Object.keys(tool))
      if (key !== "functionDeclarations") note(dropped, `tools[${i}].${key} (only function declarations reach Chat upstreams)`);
  });
  if (tools.length > 0) body.tools = tools;
  const calling = request.toolConfig?.functionCallingConfig;
  if (!calling || tools.length === 0) return;
  const allowed = calling.allowedFunctionNames ?? [];
  switch (calling.mode) {
    case "NONE":
      body.tool_choice = "none";
      return;
    case "ANY":
      body.tool_choice = allowed.length === 1 ? { type: "function", function: { name: allowed[0] } } : "required";
      if (allowed.length > 1) note(dropped, "toolConfig.functionCallingConfig.allowedFunctionNames (Chat forces one named function or any)");
      return;
    case "VALIDATED":
      note(dropped, "toolConfig.functionCallingConfig.mode VALIDATED (served as AUTO: Chat has no validated mode)");
      body.tool_choice = "auto";
      return;
    case "AUTO":
      body.tool_choice = "auto";
  }
}

// ---- generationConfig ----

/** thinkingBudget → reasoning_effort (ZenMux's table: 0 none, ≤2048 low, ≤5120 medium, more high). -1 (dynamic) leaves the upstream's default. */
export function effortForBudget(budget: number): string | undefined {
  if (budget < 0) return undefined;
  return budget === 0 ? "none" : budget <= 2048 ? "low" : budget <= 5120 ? "medium" : "high";
}

const THINKING_LEVELS: Record<string, string> = { minimal: "minimal", low: "low", medium: "medium", high: "high" };
const RENAMED: [keyof GeminiGenerationConfig, string][] = [
  ["temperature", "temperature"],
  ["topP", "top_p"],
  ["seed", "seed"],
  ["presencePenalty", "presence_penalty"],
  ["frequencyPenalty", "frequency_penalty"],
];
const LOGPROB_FIELDS = new Set(["responseLogprobs", "logprobs"]);
/** Read below; the rest of generationConfig is named in `dropped`. */
const CONFIG_FIELDS = new Set<string>([
  ...RENAMED.map(([from]) => from),
  "maxOutputTokens",
  "stopSequences",
  "candidateCount",
  "responseMimeType",
  "responseSchema",
  "responseJsonSchema",
  "thinkingConfig",
]);

function applyGenerationConfig(config: GeminiGenerationConfig | undefined, body: Json, dropped: string[]): void {
  if (!config) return;
  if (config.maxOutputTokens !== undefined) body.max_completion_tokens = config.maxOutputTokens;
  for (const [from, to] of RENAMED) if (typeof config[from] === "number") body[to] = config[from];
  if (config.stopSequences && config.stopSequences.length > 0) body.stop = config.stopSequences.slice(0, 4);
  if ((config.stopSequences?.length ?? 0) > 4) note(dropped, "generationConfig.stopSequences beyond the first 4 (Chat accepts at most 4)");
  // The gateway answers with one candidate (its Chat surface refuses n > 1 too).
  if ((config.candidateCount ?? 1) > 1) note(dropped, "generationConfig.candidateCount (one candidate is served)");
  applyResponseFormat(config, body, dropped);
  applyThinking(config.thinkingConfig, body, dropped);
  // ZenMux maps these to logprobs/top_logprobs, but the answer has no place for Chat's logprobs here: asking would only cost.
  if (config.responseLogprobs === true || config.logprobs !== undefined)
    note(dropped, "generationConfig.responseLogprobs/logprobs (log probabilities are not translated back)");
  for (const [key, value] of Object.entries(config))
    if (!CONFIG_FIELDS.has(key) && !LOGPROB_FIELDS.has(key) && value !== undefined && value !== null)
      note(dropped, `generationConfig.${key} (no Chat Completions equivalent)`);
}

function applyResponseFormat(config: GeminiGenerationConfig, body: Json, dropped: string[]): void {
  const mime = config.responseMimeType?.toLowerCase();
  if (mime === undefined || mime === "text/plain") return;
  if (mime !== "application/json") {
    note(dropped, `generationConfig.responseMimeType ${config.responseMimeType} (Chat answers in text or JSON)`);
    return;
  }
  const schema = config.responseJsonSchema ?? (config.responseSchema ? fromGeminiSchema(config.responseSchema) : undefined);
  body.response_format = schema === undefined ? { type: "json_object" } : { type: "json_schema", json_schema: { name: "response", schema } };
}

function applyThinking(thinking: GeminiGenerationConfig["thinkingConfig"], body: Json, dropped: string[]): void {
  if (!thinking) return;
  const level = thinking.thinkingLevel?.toLowerCase();
  const effort = typeof thinking.thinkingBudget === "number" ? effortForBudget(thinking.thinkingBudget) : level ? THINKING_LEVELS[level] : undefined;
  if (effort) body.reasoning_effort = effort;
  else if (level && !THINKING_LEVELS[level] && level !== "thinking_level_unspecified")
    note(dropped, `generationConfig.thinkingConfig.thinkingLevel ${thinking.thinkingLevel} (no reasoning_effort)`);
}

// ---- answer ----

/** A chat.completion → a GenerateContentResponse (one candidate per choice). */
export function chatCompletionToGemini(chat: Json, shape: GeminiAnswerShape): Json {
  const choices = Array.isArray(chat.choices) ? chat.choices.filter(isRecord) : [];
  const candidates = choices.map((choice, i) => {
    const message = isRecord(choice.message) ? choice.message : {};
    const calls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isRecord) : [];
    const reasoning = text(message.reasoning_content) || text(message.reasoning);
    const content =
      (typeof message.content === "string"
        ? message.content
        : Array.isArray(message.content)
          ? message.content
              .filter(isRecord)
              .map((p) => text(p.text))
              .join("")
          : "") || text(message.refusal);
    const parts = answerParts({ reasoning, content, calls }, shape);
    return {
      content: { role: "model", parts },
      finishReason: finishReasonToGemini(choice.finish_reason),
      index: typeof choice.index === "number" ? choice.index : i,
    };
  });
  return geminiEnvelope({ candidates, ...(isRecord(chat.usage) ? { usageMetadata: usageToGeminiFromChat(chat.usage) } : {}) }, shape);
}
