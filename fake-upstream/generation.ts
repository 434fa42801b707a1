/**
 * Deterministic "model" output shared by both protocols, designed so tests can predict
 * every number: one word = one token, prompt tokens = ceil(chars / 4) + 4 per message.
 */
import { randomBytes } from "node:crypto";
import type { Knobs } from "./knobs.ts";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `prefix` + 24 random base62 characters, the shape real providers use. */
export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

const LOREM = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"];

/** Splits text into word tokens whose concatenation is exactly the text. */
export function wordTokens(text: string): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  const lead = /^\s*/.exec(text)?.[0] ?? "";
  if (lead && words.length) words[0] = lead + words[0];
  return words;
}

export interface ContentPlan {
  tokens: string[];
  /** True when max_tokens cut the reply short (finish_reason length / stop_reason max_tokens). */
  truncated: boolean;
}

/**
 * The reply's content tokens: `text` words or `outputTokens` lorem words, capped by
 * max_tokens less `otherOutput` (thinking and reasoning count against max_tokens, as at
 * real providers).
 */
export function planContent(knobs: Knobs, maxTokens: number | null, otherOutput = 0): ContentPlan {
  const all = knobs.text !== null ? wordTokens(knobs.text) : Array.from({ length: knobs.outputTokens }, (_, i) => `${LOREM[i % LOREM.length]} `);
  const room = maxTokens === null ? Infinity : maxTokens - otherOutput;
  if (maxTokens === null || knobs.ignoreMaxTokens || all.length <= room) {
    return { tokens: all, truncated: false };
  }
  return { tokens: all.slice(0, Math.max(0, room)), truncated: true };
}

/** ceil(characters / 4) + 4 per message: crude, but predictable from a test. */
export function estimatePromptTokens(texts: string[], messageCount: number): number {
  const chars = texts.reduce((sum, text) => sum + text.length, 0);
  return Math.ceil(chars / 4) + 4 * messageCount;
}

/** Anthropic's rule: an image costs width × height / 750 tokens, at most ~4,784 (high-resolution models). */
export const MAX_IMAGE_TOKENS = 4784;

/** The width and height in a PNG's IHDR chunk, or null for anything else. */
function pngSize(base64: string): { width: number; height: number } | null {
  const head = Buffer.from(base64.slice(0, 44), "base64");
  if (head.length < 24 || head.toString("latin1", 1, 4) !== "PNG") return null;
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

/** The base64 data of an inline image part in any of the four protocols, or null. */
function inlineImageData(part: Record<string, unknown>): string | null {
  const source = isRecord(part.source) ? part.source : null;
  if (part.type === "image" && source?.type === "base64" && typeof source.data === "string") return source.data;
  // Gemini `inlineData: {mimeType, data}`.
  if (isRecord(part.inlineData) && typeof part.inlineData.data === "string") return part.inlineData.data;
  // OpenAI Chat `image_url: {url}`, Responses `input_image` with `image_url` as a string.
  const url = isRecord(part.image_url) ? part.image_url.url : part.image_url;
  return typeof url === "string" && url.startsWith("data:") ? url.slice(url.indexOf(",") + 1) : null;
}

/**
 * Prompt tokens for the inline PNG images in message content (Anthropic base64 blocks,
 * OpenAI data URLs, Gemini inlineData), by their pixel size; other images cost nothing here.
 */
export function imageTokens(content: unknown): number {
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const part of content) {
    if (!isRecord(part)) continue;
    const data = inlineImageData(part);
    const size = data === null ? null : pngSize(data);
    if (size) tokens += Math.min(Math.ceil((size.width * size.height) / 750), MAX_IMAGE_TOKENS);
  }
  return tokens;
}

/** Tokens a tool call "costs": its name and JSON arguments at 4 characters a token. */
export function toolCallTokens(name: string, argumentsJson: string): number {
  return Math.ceil((name.length + argumentsJson.length) / 4);
}

/**
 * Arguments that satisfy a JSON schema's required properties: string → "test",
 * number/integer → 1, boolean → true, anything else → null.
 */
export function argumentsFromSchema(schema: unknown): Record<string, unknown> {
  if (!isRecord(schema)) return {};
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  const args: Record<string, unknown> = {};
  for (const name of required) {
    if (typeof name !== "string") continue;
    const property = properties[name];
    // Gemini schemas spell types in upper case (STRING, OBJECT).
    const type = isRecord(property) && typeof property.type === "string" ? property.type.toLowerCase() : undefined;
    if (type === "string") args[name] = "test";
    else if (type === "number" || type === "integer") args[name] = 1;
    else if (type === "boolean") args[name] = true;
    else args[name] = null;
  }
  return args;
}

/** JSON for tool arguments; "{}" gets a space so it can still be split into 3 fragments. */
export function argumentsJson(args: Record<string, unknown>): string {
  const json = JSON.stringify(args);
  return json === "{}" ? "{ }" : json;
}

/**
 * Splits a string into non-empty fragments, at least 3 when it is long enough and about
 * 16 characters each, so clients must really concatenate argument deltas.
 */
export function splitFragments(text: string): string[] {
  const n = Math.min(text.length, Math.max(3, Math.ceil(text.length / 16)));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(text.slice(Math.floor((i * text.length) / n), Math.floor(((i + 1) * text.length) / n)));
  }
  return out;
}

/** Text found in OpenAI or Anthropic message content: a string or an array of parts/blocks. */
export function contentTexts(content: unknown): string[] {
  if (typeof content === "string") return [content];
  if (!Array.isArray(content)) return [];
  const out: string[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (typeof part.text === "string") out.push(part.text);
    if (typeof part.thinking === "string") out.push(part.thinking);
    // Anthropic tool_use input and tool_result content count as text the model reads.
    if (part.type === "tool_use" && part.input !== undefined) out.push(JSON.stringify(part.input));
    if (part.type === "tool_result") out.push(...contentTexts(part.content));
    // A plain-text document is read (and billed) like text.
    if (part.type === "document" && isRecord(part.source) && part.source.type === "text" && typeof part.source.data === "string") out.push(part.source.data);
  }
  return out;
}

/** The words of the fake thinking block (Anthropic) — fixed so output_tokens is predictable. */
export const THINKING_TEXT = "Let me think about this request step by step.";
