/**
 * One page of a stored response's input items, as OpenAI lists them
 * (GET /v1/responses/{id}/input_items): `order` asc or desc (default desc, newest first),
 * `limit` 1–100 (default 20), `after` an item id the page starts after. Pure.
 */
import { z } from "zod";
import { invalidParams } from "../gateway/errors.ts";
import { listedItemId } from "../gateway/protocols/openai-responses/stored-context.ts";
import { invalidParamsFromIssue } from "../gateway/protocols/openai-chat/request-schema.ts";

type Json = Record<string, unknown>;

export const inputItemsQuerySchema = z.object({
  order: z.enum(["asc", "desc"], { error: "is not valid: expected asc or desc" }).default("desc"),
  limit: z.coerce
    .number({ error: "is not valid: expected an integer from 1 to 100" })
    .int("is not valid: expected an integer from 1 to 100")
    .min(1, "is not valid: expected an integer from 1 to 100")
    .max(100, "is not valid: expected an integer from 1 to 100")
    .default(20),
  after: z.string().min(1, "can not be empty").optional(),
});
export type InputItemsQuery = z.infer<typeof inputItemsQuerySchema>;

/** The query string's parameters, validated; throws GatewayError(400) naming the parameter. */
export function parseInputItemsQuery(params: URLSearchParams): InputItemsQuery {
  const result = inputItemsQuerySchema.safeParse(Object.fromEntries(params));
  if (!result.success) throw invalidParamsFromIssue(result.error.issues[0]);
  return result.data;
}

export type InputItemsPage = { object: "list"; data: Json[]; first_id: string | null; last_id: string | null; has_more: boolean };

/** A message's string content as OpenAI lists it: one text part. */
function listedItem(item: Json, responseId: string, index: number): Json & { id: string } {
  const listed: Json & { id: string } = { ...item, id: listedItemId(item, responseId, index) };
  if (item.type === "message" && typeof item.content === "string")
    listed.content = [{ type: item.role === "assistant" ? "output_text" : "input_text", text: item.content }];
  return listed;
}

export function pageOfInputItems(items: readonly Json[], responseId: string, query: InputItemsQuery): InputItemsPage {
  const listed = items.map((item, index) => listedItem(item, responseId, index));
  if (query.order === "desc") listed.reverse();
  let start = 0;
  if (query.after !== undefined) {
    const at = listed.findIndex((item) => item.id === query.after);
    if (at < 0) throw invalidParams(`Parameter after is not valid: response ${responseId} has no input item with id ${JSON.stringify(query.after)}`, "after");
    start = at + 1;
  }
  const data = listed.slice(start, start + query.limit);
  return { object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + query.limit < listed.length };
}
