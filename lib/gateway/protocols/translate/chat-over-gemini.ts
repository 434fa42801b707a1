/**
 * Chat Completions request → Gemini generateContent request, the request half of a Chat
 * client (and, through the Chat hub, a Messages or Responses client) served by a Gemini
 * upstream. Pure. Mapped per reference/zenmux-docs/api/protocol-conversion.md
 * ("Chat Completions → Gemini"); what Gemini cannot express is left out and named in
 * `dropped`, never sent to be refused. The answer half is chat-over-gemini-answer.ts.
 *
 * Gemini has no tool-call ids: a call is known by its name and its place. The ids a
 * client sends back are only used here to find the name a tool result answers. A
 * thinking model signs its function calls (`thoughtSignature`) and wants the signature
 * back with the call in later turns; the answer half puts it into the call's id
 * (geminiCallId) so that it comes back with the history.
 */
import { GATEWAY_ONLY_FIELDS } from "../gateway-options.ts";
import { isRecord } from "../openai-responses/response-object.ts";
import { toGeminiSchema } from "./gemini-schema.ts";
import type { Translated } from "./chat-over-messages.ts";

type Json = Record<string, unknown>;
type ChatMessage = { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown };
type Content = { role: "user" | "model"; parts: Json[] };

const HANDLED_FIELDS = new Set<string>([
  ...GATEWAY_ONLY_FIELDS,
  ...["model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "seed", "n"],
  ...["presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "tools", "tool_choice", "response_format", "reasoning_effort"],
]);

/** reasoning_effort → thinkingBudget (ZenMux's table). */
export const THINKING_BUDGETS: Record<string, number> = { none: 0, minimal: 0, low: 2048, medium: 5120, high: 10240, xhigh: 20480 };

const SIGNATURE_MARK = "__thought_";

/** A call id that carries the call's thought signature (base64url), so the client's history returns it. */
export function geminiCallId(index: number, nonce: string, signature: string | null): string {
  const id = `call_${nonce}_${index}`;
  return signature ? `${id}${SIGNATURE_MARK}${Buffer.from(signature, "base64").toString("base64url")}` : id;
}

function signatureOf(id: string): string | null {
  const at = id.indexOf(SIGNATURE_MARK);
  return at < 0 ? null : Buffer.from(id.slice(at + SIGNATURE_MARK.length), "base64url").toString("base64");
}

export function chatRequestToGemini(request: Json): Translated<Json> {
  const dropped: string[] = [];
  const messages = (Array.isArray(request.messages) ? request.messages : []).filter(isRecord) as ChatMessage[];
  const system: Json[] = [];
  const contents: Content[] = [];
  const callNames = new Map<string, string>();
  // A run of tool results is one content: Gemini wants parallel calls answered together.
  const push = (role: Content["role"], parts: Json[], merge = false) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (merge && last && last.role === role && last.parts.every((p) => p.functionResponse !== undefined)) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  messages.forEach((message, i) => {
    const where = `messages[${i}]`;
    switch (message.role) {
      case "system":
      case "developer": {
        const text = textOf(message.content);
        if (text) system.push({ text });
        return;
      }
      case "user":
        return push("user", userParts(message.content, where, dropped));
      case "assistant":
        return push("model", modelParts(message, callNames, where, dropped));
      case "tool": {
        const id = String(message.tool_call_id ?? "");
        const name = callNames.get(id);
        if (name === undefined) {
          dropped.push(`${where} (a tool result for a call not in the history)`);
          return;
        }
        return push("user", [{ functionResponse: { name, response: { output: textOf(message.content) } } }], true);
      }
      default:
        dropped.push(`${where} (the ${message.role} role has no Gemini form)`);
    }
  });
  const body: Json = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };
  applyTools(request, body, dropped);
  const config = generationConfig(request, dropped);
  if (Object.keys(config).length > 0) body.generationConfig = config;
  for (const key of Object.keys(request))
    if (!HANDLED_FIELDS.has(key) && request[key] !== undefined && request[key] !== null) dropped.push(`${key} (no Gemini equivalent)`);
  return { body, dropped };
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : isRecord(part) && typeof part.refusal === "string" ? part.refusal : ""))
    .join("");
}

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;
const EXTENSION_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  pdf: "application/pdf",
};

/** A data URL → inlineData; any other URL → fileData (its type guessed from the extension). */
function mediaPart(url: string, fallbackType: string): Json {
  const data = DATA_URL.exec(url);
  if (data) return { inlineData: { mimeType: data[1], data: data[2] } };
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase() ?? "";
  return { fileData: { mimeType: EXTENSION_TYPES[extension] ?? fallbackType, fileUri: url } };
}

function userParts(content: unknown, where: string, dropped: string[]): Json[] {
  if (typeof content === "string") return content ? [{ text: content }] : [];
  const parts: Json[] = [];
  (Array.isArray(content) ? content : []).forEach((part, j) => {
    if (!isRecord(part)) return;
    if (part.type === "text" && typeof part.text === "string") parts.push({ text: part.text });
    else if (part.type === "image_url") {
      const url = isRecord(part.image_url) ? part.image_url.url : part.image_url;
      if (typeof url === "string") parts.push(mediaPart(url, "image/jpeg"));
    } else if (part.type === "file" && isRecord(part.file) && typeof part.file.file_data === "string") {
      parts.push(mediaPart(part.file.file_data, "application/pdf"));
    } else if (part.type === "input_audio" && isRecord(part.input_audio) && typeof part.input_audio.data === "string") {
      parts.push({ inlineData: { mimeType: `audio/${String(part.input_audio.format ?? "wav")}`, data: part.input_audio.data } });
    } else dropped.push(`${where}.content[${j}] (${String(part.type)} parts have no Gemini form)`);
  });
  return parts;
}

function modelParts(message: ChatMessage, callNames: Map<string, string>, where: string, dropped: string[]): Json[] {
  const parts: Json[] = [];
  const text = textOf(message.content);
  if (text) parts.push({ text });
  if ((message as Json).reasoning_content) dropped.push(`${where}.reasoning_content (Gemini takes back only signed thoughts)`);
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls.filter(isRecord) : []) {
    const fn = isRecord(call.function) ? call.function : {};
    const name = String(fn.name ?? "");
    const id = String(call.id ?? "");
    callNames.set(id, name);
    const signature = signatureOf(id);
    parts.push({ functionCall: { name, args: argumentsOf(fn.arguments) }, ...(signature ? { thoughtSignature: signature } : {}) });
  }
  return parts;
}

/** Chat's arguments are a JSON string; Gemini's args an object (anything else is wrapped). */
function argumentsOf(text: unknown): Json {
  if (typeof text !== "string" || !text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    return { arguments: text };
  }
}

/** Gemini refuses an OBJECT schema without properties: a function without arguments declares none. */
const hasProperties = (schema: unknown): boolean => isRecord(schema) && isRecord(schema.properties) && Object.keys(schema.properties).length > 0;

function applyTools(request: Json, body: Json, dropped: string[]): void {
  const tools = (Array.isArray(request.tools) ? request.tools : []).filter(isRecord).filter((tool) => isRecord(tool.function));
  if (tools.length > 0) {
    const unsupported = new Set<string>();
    const declarations = tools.map((tool) => {
      const fn = tool.function as Json;
      return {
        name: fn.name,
        ...(typeof fn.description === "string" ? { description: fn.description } : {}),
        ...(hasProperties(fn.parameters) ? { parameters: toGeminiSchema(fn.parameters, unsupported) } : {}),
      };
    });
    body.tools = [{ functionDeclarations: declarations }];
    if (tools.some((tool) => (tool.function as Json).strict !== undefined)) dropped.push("tools[].function.strict (Gemini has no strict mode)");
    if (unsupported.size > 0) dropped.push(`tools[].function.parameters: ${[...unsupported].join(", ")} (not in Gemini's schema)`);
  }
  const choice = request.tool_choice;
  const modes: Record<string, string> = { auto: "AUTO", required: "ANY", none: "NONE" };
  if (typeof choice === "string" && modes[choice]) body.toolConfig = { functionCallingConfig: { mode: modes[choice] } };
  else if (isRecord(choice) && isRecord(choice.function))
    body.toolConfig = { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [String(choice.function.name)] } };
}

function generationConfig(request: Json, dropped: string[]): Json {
  const config: Json = {};
  const max = request.max_completion_tokens ?? request.max_tokens;
  if (typeof max === "number") config.maxOutputTokens = max;
  const renamed: [string, string][] = [
    ["temperature", "temperature"],
    ["top_p", "topP"],
    ["seed", "seed"],
    ["presence_penalty", "presencePenalty"],
    ["frequency_penalty", "frequencyPenalty"],
  ];
  for (const [from, to] of renamed) if (typeof request[from] === "number") config[to] = request[from];
  if (typeof request.stop === "string") config.stopSequences = [request.stop];
  else if (Array.isArray(request.stop) && request.stop.length > 0) config.stopSequences = request.stop;
  if (typeof request.n === "number" && request.n > 1) config.candidateCount = request.n;
  if (request.logprobs === true) config.responseLogprobs = true;
  if (typeof request.top_logprobs === "number") config.logprobs = request.top_logprobs;
  const format = isRecord(request.response_format) ? request.response_format : null;
  if (format?.type === "json_object") config.responseMimeType = "application/json";
  if (format?.type === "json_schema") {
    config.responseMimeType = "application/json";
    const schema = isRecord(format.json_schema) ? format.json_schema.schema : undefined;
    if (isRecord(schema)) {
      const unsupported = new Set<string>();
      config.responseSchema = toGeminiSchema(schema, unsupported);
      if (unsupported.size > 0) dropped.push(`response_format.json_schema.schema: ${[...unsupported].join(", ")} (not in Gemini's schema)`);
    }
  }
  if (typeof request.reasoning_effort === "string") {
    const budget = THINKING_BUDGETS[request.reasoning_effort];
    if (budget === undefined) dropped.push(`reasoning_effort ${request.reasoning_effort} (no Gemini budget)`);
    // Thoughts are asked for so that they come back as reasoning_content.
    else config.thinkingConfig = budget > 0 ? { thinkingBudget: budget, includeThoughts: true } : { thinkingBudget: 0 };
  }
  return config;
}
