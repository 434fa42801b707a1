/**
 * Continuing a stored response (previous_response_id): the conversation the model sees is
 * the stored one (its input, then its output) followed by this request's input. The
 * earlier `instructions` are not carried over, as OpenAI does not carry them. Pure.
 */
import { GatewayError } from "../../errors.ts";
import type { StoredConversation } from "../../ports/gateway-deps.ts";
import type { ResponsesInputItem } from "./request-schema.ts";

type Json = Record<string, unknown>;

/** OpenAI's answer for an id it does not have (unknown, expired, deleted, or another account's). */
export function previousResponseNotFound(id: string): GatewayError {
  return new GatewayError(404, "not_found", `Previous response with id '${id}' not found.`, "previous_response_id");
}

/** Input as items: a string is one user message, as OpenAI lists it among a response's input items. */
export function inputItemsOf(input: string | readonly ResponsesInputItem[]): Json[] {
  if (typeof input === "string") return [{ type: "message", role: "user", content: [{ type: "input_text", text: input }] }];
  return input.map((item) => ({ type: "message", ...item }) as Json);
}

/**
 * What a continuation carries over from the stored response. Reasoning items without
 * `encrypted_content` are left out: no upstream can use them (a Chat or Messages
 * upstream gets no reasoning items at all, and OpenAI refuses a bare reasoning id when
 * nothing is stored on its side, which is how the gateway calls it).
 */
export function carriedItems(previous: StoredConversation): Json[] {
  const usable = (item: Json) => item.type !== "reasoning" || typeof item.encrypted_content === "string";
  return [...previous.inputItems, ...previous.outputItems].filter(usable);
}

/** The stored conversation, then this request's input. */
export function continuedInput(previous: StoredConversation, input: string | readonly ResponsesInputItem[]): ResponsesInputItem[] {
  // Stored items were validated when they were first sent, or written by the gateway as output.
  return [...carriedItems(previous), ...inputItemsOf(input)] as ResponsesInputItem[];
}

/**
 * The id an input item is listed under (GET …/input_items, and its `after` cursor): its own,
 * or one derived from the response and its place, stable because a stored row never changes.
 */
export function listedItemId(item: Json, responseId: string, index: number): string {
  return typeof item.id === "string" && item.id !== "" ? item.id : `item_${responseId.replace(/^resp_/, "")}_${index}`;
}
