/**
 * A Chat Completions request within the subset every protocol can express, translated
 * Chat → Messages → Chat (chatRequestToMessages, messagesRequestToChat) or
 * Chat → Responses → Chat (chatRequestToResponses, responsesRequestToChat), keeps its
 * meaning. "Meaning" is what `meaningOf` keeps of a request; everything else is form a
 * target protocol may legitimately change:
 *
 * - Messages: every system message becomes one `system` (joined by a blank line); turns
 *   of one role in a row become one turn, so adjacent user (or assistant) messages merge
 *   and tool results join the user turn after them; a user message's text parts become
 *   blocks that come back as one string joined by "\n"; tool results come back first in
 *   their user turn (where Chat needs them); tool-call ids may be rewritten to Anthropic's
 *   alphabet (a result is paired with its call by position, not by id); arguments travel
 *   as an object, so their JSON text may be re-serialised.
 * - Responses: leading system messages become `instructions` (joined by a blank line);
 *   an assistant message's text and calls become separate items that come back as one
 *   message; `max_tokens` comes back as `max_completion_tokens`; `stop` has no Responses
 *   field and is dropped (and said so in `dropped`).
 *
 * So the normaliser joins leading system texts, merges adjacent same-role turns (texts
 * joined by "\n", calls concatenated), reads content as strings or text parts alike,
 * names each call by its position, parses arguments, and reads max_tokens or
 * max_completion_tokens. (The Responses → Chat → Responses round trip is in
 * responses-over-chat.test.ts; a Gemini one is written with the Gemini client surface.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../openai-chat/request-schema.ts";
import type { ResponsesRequest } from "../openai-responses/request-schema.ts";
import { chatRequestToMessages } from "./chat-over-messages.ts";
import { chatRequestToResponses } from "./chat-over-responses.ts";
import { messagesRequestToChat } from "./messages-over-chat.ts";
import { responsesRequestToChat } from "./responses-over-chat.ts";

type Json = Record<string, unknown>;
type Call = { ref: number; name: string; args: unknown };
type Turn = { role: "user"; text: string } | { role: "assistant"; text: string; calls: Call[] } | { role: "tool"; answers: number; text: string };
type Meaning = { system: string; turns: Turn[]; tools: Json[]; toolChoice: unknown; temperature: unknown; topP: unknown; maxTokens: unknown; stop: unknown };

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** String content or the text of its parts, joined by `separator`. */
function textOf(content: unknown, separator: string): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : "")).join(separator);
}

/** What a Chat request means, in the form every protocol keeps (see the header). */
function meaningOf(request: Json, options: { keepStop: boolean }): Meaning {
  const messages = (Array.isArray(request.messages) ? request.messages : []).filter(isRecord);
  let first = 0;
  const system: string[] = [];
  while (first < messages.length && messages[first].role === "system") system.push(textOf(messages[first++].content, ""));
  const callRefs = new Map<string, number>();
  const turns: Turn[] = [];
  for (const message of messages.slice(first)) {
    const last = turns.at(-1);
    if (message.role === "user") {
      const text = textOf(message.content, "\n");
      if (last?.role === "user") last.text = `${last.text}\n${text}`;
      else turns.push({ role: "user", text });
    } else if (message.role === "assistant") {
      const text = textOf(message.content, "");
      const calls = (Array.isArray(message.tool_calls) ? message.tool_calls : []).filter(isRecord).map((call): Call => {
        const fn = isRecord(call.function) ? call.function : {};
        const ref = callRefs.size;
        callRefs.set(String(call.id), ref);
        return { ref, name: String(fn.name), args: JSON.parse(String(fn.arguments)) as unknown };
      });
      if (last?.role === "assistant") {
        last.text = [last.text, text].filter(Boolean).join("\n");
        last.calls.push(...calls);
      } else turns.push({ role: "assistant", text, calls });
    } else if (message.role === "tool") {
      turns.push({ role: "tool", answers: callRefs.get(String(message.tool_call_id)) ?? -1, text: textOf(message.content, "\n") });
    } else throw new Error(`unexpected role ${String(message.role)}`);
  }
  const tools = (Array.isArray(request.tools) ? request.tools : []).filter(isRecord).map((tool) => tool.function as Json);
  return {
    system: system.join("\n\n"),
    turns,
    tools,
    toolChoice: request.tool_choice,
    temperature: request.temperature,
    topP: request.top_p,
    maxTokens: request.max_tokens ?? request.max_completion_tokens,
    stop: options.keepStop ? request.stop : undefined,
  };
}

// ---- the mappable subset ----

const text = fc.string({ minLength: 1, maxLength: 12 });
const name = fc.stringMatching(/^[a-z][a-z_]{0,11}$/);
const key = fc.stringMatching(/^[a-z]{1,6}$/);
const argumentsObject = fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
const schema = fc.record({
  type: fc.constant("object"),
  properties: fc.dictionary(key, fc.constantFrom({ type: "string" }, { type: "number" }, { type: "boolean" }), { maxKeys: 3 }),
});
const tool = fc.record({ name, description: text, parameters: schema });
const stop = fc.array(fc.stringMatching(/^[A-Za-z#]{1,5}$/), { minLength: 1, maxLength: 4 });

const userMessage = fc.oneof(
  text.map((content) => [{ role: "user", content }]),
  fc.array(text, { minLength: 1, maxLength: 3 }).map((parts) => [{ role: "user", content: parts.map((t) => ({ type: "text", text: t })) }]),
);
const assistantText = text.map((content) => [{ role: "assistant", content }]);
type CallSpec = { name: string; args: Json; result: string };
const callSpec = fc.record({ name, args: argumentsObject, result: fc.string({ maxLength: 12 }) });
/** An assistant turn with calls (and maybe text), then each call's result, in order. */
const toolExchange = fc
  .tuple(fc.option(text, { nil: null }), fc.array(callSpec, { minLength: 1, maxLength: 3 }))
  .map(([reply, calls]) => (next: () => string) => {
    const specs = calls.map((call: CallSpec) => ({ ...call, id: next() }));
    return [
      {
        role: "assistant",
        content: reply,
        tool_calls: specs.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } })),
      },
      ...specs.map((c) => ({ role: "tool", tool_call_id: c.id, content: c.result })),
    ];
  });
const segment = fc.oneof(
  userMessage.map((m) => () => m),
  assistantText.map((m) => () => m),
  toolExchange.map((build) => (next: () => string) => build(next)),
);

const chatRequest = fc
  .record({
    system: fc.array(text, { maxLength: 2 }),
    segments: fc.array(segment, { minLength: 1, maxLength: 6 }),
    tools: fc.uniqueArray(tool, { selector: (t) => t.name, minLength: 1, maxLength: 3 }),
    toolChoice: fc.option(fc.constantFrom("auto", "required", "none", "named"), { nil: undefined }),
    temperature: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    topP: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    maxTokens: fc.option(fc.integer({ min: 16, max: 8192 }), { nil: undefined }),
    stop: fc.option(stop, { nil: undefined }),
  })
  .map((spec) => {
    let ids = 0;
    // Ids from several providers: Anthropic's alphabet and others (rewritten on the way to Messages).
    const next = () => (ids++ % 2 === 0 ? `call_${ids}` : `fc.${ids}:x`);
    const messages: Json[] = [...spec.system.map((content) => ({ role: "system", content })), { role: "user", content: "Start." }];
    for (const build of spec.segments) messages.push(...(build(next) as Json[]));
    const request: Json = { model: "acme/model", messages, tools: spec.tools.map((fn) => ({ type: "function", function: fn })) };
    if (spec.toolChoice === "named") request.tool_choice = { type: "function", function: { name: spec.tools[0].name } };
    else if (spec.toolChoice) request.tool_choice = spec.toolChoice;
    if (spec.temperature !== undefined) request.temperature = spec.temperature;
    if (spec.topP !== undefined) request.top_p = spec.topP;
    if (spec.maxTokens !== undefined) request.max_tokens = spec.maxTokens;
    if (spec.stop !== undefined) request.stop = spec.stop;
    return request;
  });

/** Every tool result answers a call made before it. */
function expectPaired(meaning: Meaning): void {
  const made = meaning.turns.flatMap((turn) => (turn.role === "assistant" ? turn.calls.map((call) => call.ref) : []));
  for (const turn of meaning.turns) if (turn.role === "tool") expect(made).toContain(turn.answers);
}

describe("a Chat request translated there and back keeps its meaning", () => {
  it("Chat → Messages → Chat", () => {
    fc.assert(
      fc.property(chatRequest, (request) => {
        const there = chatRequestToMessages(request as ChatRequest, { defaultMaxTokens: 4096 });
        expect(there.dropped).toEqual([]);
        const back = messagesRequestToChat(there.body);
        expect(back.dropped).toEqual([]);
        const original = meaningOf(request, { keepStop: true });
        const roundTripped = meaningOf(back.body, { keepStop: true });
        // Anthropic needs max_tokens: a request without one comes back with the default.
        expect(roundTripped).toEqual({ ...original, maxTokens: original.maxTokens ?? 4096 });
        expectPaired(roundTripped);
      }),
      { numRuns: 300 },
    );
  });

  it("Chat → Responses → Chat", () => {
    fc.assert(
      fc.property(chatRequest, (request) => {
        const there = chatRequestToResponses(request);
        expect(there.dropped).toEqual(request.stop === undefined ? [] : ["stop (no Responses equivalent)"]);
        const back = responsesRequestToChat(there.body as ResponsesRequest);
        expect(back.dropped).toEqual([]);
        const original = meaningOf(request, { keepStop: false });
        const roundTripped = meaningOf(back.body, { keepStop: false });
        expect(roundTripped).toEqual(original);
        expectPaired(roundTripped);
      }),
      { numRuns: 300 },
    );
  });

  it("the normaliser tells a changed meaning apart (a text, a call's arguments, a result's pairing)", () => {
    const request: Json = {
      model: "m",
      messages: [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "a", type: "function", function: { name: "f", arguments: '{"x":1}' } },
            { id: "b", type: "function", function: { name: "f", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "a", content: "1" },
        { role: "tool", tool_call_id: "b", content: "2" },
      ],
    };
    const meaning = meaningOf(request, { keepStop: true });
    const edit = (change: (messages: Json[]) => void) => {
      const copy = JSON.parse(JSON.stringify(request)) as { messages: Json[] };
      change(copy.messages);
      return meaningOf(copy, { keepStop: true });
    };
    expect(edit((m) => (m[0].content = "hi!"))).not.toEqual(meaning);
    expect(edit((m) => ((m[1].tool_calls as Json[])[0].function = { name: "f", arguments: '{"x":2}' }))).not.toEqual(meaning);
    expect(edit((m) => (m[2].tool_call_id = "b"))).not.toEqual(meaning);
    // …and not a change of form: ids renamed, arguments re-serialised, text as parts.
    expect(
      edit((m) => {
        (m[1].tool_calls as Json[]).forEach((call, i) => ((call as Json).id = `toolu_${i}`));
        m[2].tool_call_id = "toolu_0";
        m[3].tool_call_id = "toolu_1";
        ((m[1].tool_calls as Json[])[0].function as Json).arguments = '{ "x": 1 }';
        m[0].content = [{ type: "text", text: "hi" }];
      }),
    ).toEqual(meaning);
  });
});
