/**
 * Every (client protocol, upstream protocol) pair, end to end through the client surface
 * itself — the calls the server makes: `surface.parse(body, {path})`, `surface.upstreamBody(…)`,
 * `surface.jsonBody(…)` and `surface.streamTranslator(…)` fed the upstream's SSE events
 * (push… then finish()). One folder per pair, one golden file per case:
 *
 *   __fixtures__/pairs/<client>-over-<upstream>/<case>.json
 *   {
 *     "clientRequest":         the client's body, not streamed (input)
 *     "upstreamRequest":       what the upstream is sent for it (expected)
 *     "upstreamStreamRequest": the same for the streamed request (expected; see CLIENTS)
 *     "upstreamAnswer":        the upstream's JSON answer (input)
 *     "clientAnswer":          what the client gets back (expected)
 *     "upstreamStream":        the upstream's SSE events, {event?, data} with data parsed when JSON (input)
 *     "clientStream":          the events the client gets, the same form (expected)
 *   }
 *
 * <client> and <upstream> are the short names in CLIENTS and UPSTREAMS. A new pair is a
 * new folder, and a new case in a folder takes the `upstreamAnswer` / `upstreamStream` of
 * the same case in any folder over that upstream (e.g. messages-over-chat/<case>.json
 * holds a Chat upstream's). A Gemini `clientRequest` has no model: the path carries
 * GENERATION.servedModel. Streams are also read by the client's official SDK (SDK_VIEWS).
 *
 * The expected halves were generated once by the code and then read against each
 * protocol's wire format; to write them anew (a new pair's folder holding only the inputs,
 * or a deliberate change of translation), run
 *
 *   UPDATE_PAIR_FIXTURES=1 npx vitest run lib/gateway/surfaces/protocol-pairs.test.ts
 *
 * and read the diff: a rewritten expectation is a claim about the wire that someone checked.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { describe, expect, it, vi } from "vitest";
import type { AdapterKind } from "../providers/adapter-kind.ts";
import type { EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types.ts";
import type { Candidate } from "../routing/candidate.ts";
import type { WireProtocol } from "../providers/types.ts";
import { encodeSse, type SseEvent } from "../sse.ts";
import { chatSurface } from "./chat-surface.ts";
import { geminiSurface } from "./gemini-surface.ts";
import { messagesSurface } from "./messages-surface.ts";
import { responsesSurface } from "./responses-surface.ts";
import type { ClientSurface, ParsedRequest, ServedAs } from "./types.ts";

type Json = Record<string, unknown>;
type FixtureEvent = { event?: string; data: unknown };
type PairFixture = {
  clientRequest: Json;
  upstreamRequest?: Json;
  upstreamStreamRequest?: Json;
  upstreamAnswer: Json;
  clientAnswer?: Json;
  upstreamStream: FixtureEvent[];
  clientStream?: FixtureEvent[];
};

/**
 * The client surfaces by the short name a folder starts with, and how each is called: the
 * body and the path of its request, streamed or not (the same JSON body each time: Gemini
 * says "stream" in the path, and the model too).
 */
const CLIENTS: Record<string, { surface: ClientSurface; call: (body: Json, stream: boolean) => { body: Json; path: string } }> = {
  chat: {
    surface: chatSurface,
    call: (body, stream) => ({ body: stream ? { ...body, stream: true, stream_options: { include_usage: true } } : body, path: "/api/v1/chat/completions" }),
  },
  messages: { surface: messagesSurface, call: (body, stream) => ({ body: stream ? { ...body, stream: true } : body, path: "/api/anthropic/v1/messages" }) },
  responses: { surface: responsesSurface, call: (body, stream) => ({ body: stream ? { ...body, stream: true } : body, path: "/api/v1/responses" }) },
  gemini: {
    surface: geminiSurface,
    call: (body, stream) => ({ body, path: `/api/vertex-ai/v1beta/models/${GENERATION.servedModel}:${stream ? "streamGenerateContent" : "generateContent"}` }),
  },
};

/** Upstream wire protocols by the short name a folder ends with. */
const UPSTREAMS: Record<string, WireProtocol> = { chat: "openai-chat", messages: "anthropic-messages", responses: "openai-responses", gemini: "google-gemini" };

const UPDATE = process.env.UPDATE_PAIR_FIXTURES === "1";
const ROOT = new URL("./__fixtures__/pairs/", import.meta.url);

/** A fixed generation: the ids and timestamps every translated answer carries. */
const GENERATION = { servedModel: "acme/served-model", id: "gen_pairs01", created: 1_760_000_000, estimatedInputTokens: 42 };

function candidateFor(upstream: WireProtocol): Candidate {
  const adapters: Record<WireProtocol, AdapterKind> = {
    "openai-chat": "openai",
    "anthropic-messages": "anthropic",
    "openai-responses": "responses",
    "google-gemini": "gemini",
  };
  const provider: ProviderView = {
    id: "p_up",
    slug: "up",
    name: "Upstream",
    adapter: adapters[upstream],
    baseUrl: "http://upstream.test/v1",
    apiKeyEnv: "UP_KEY",
    enabled: true,
  };
  const endpoint: EndpointView = {
    id: "e_up",
    slug: "up/served-model",
    name: "served-model",
    provider,
    upstreamModel: "upstream-model",
    contextLength: 200_000,
    maxOutput: null,
    supportedParameters: [],
    enabled: true,
    pricings: { prompt: [{ value: 1, unit: "perMTokens", currency: "USD" }], completion: [{ value: 1, unit: "perMTokens", currency: "USD" }] },
  };
  const model: ModelView = {
    id: "m_served",
    slug: GENERATION.servedModel,
    vendor: "acme",
    displayName: "Served",
    description: "",
    inputModalities: ["text", "image"],
    outputModalities: ["text"],
    capabilities: { tools: true, vision: true, reasoning: true, json: true },
    contextLength: 200_000,
    maxOutput: 8192,
    releasedAt: null,
    addedAt: new Date(0),
    enabled: true,
    aliases: [],
    endpoints: [endpoint],
  };
  return { model, endpoint };
}

/** parse(body, {path}); called through a wider type so that this file compiles while surfaces still take the body alone. */
function parse(surface: ClientSurface, request: { body: Json; path: string }): ParsedRequest {
  return (surface.parse as (body: unknown, request: { path: string }) => ParsedRequest)(request.body, { path: request.path });
}

const toSse = (events: FixtureEvent[]): SseEvent[] =>
  events.map(({ event, data }) => ({ ...(event ? { event } : {}), data: typeof data === "string" ? data : JSON.stringify(data) }));

function fromSse(events: SseEvent[]): FixtureEvent[] {
  return events.map(({ event, data }) => {
    let parsed: unknown = data;
    try {
      parsed = JSON.parse(data);
    } catch {
      // [DONE] and other plain data stay strings
    }
    return event ? { event, data: parsed } : { data: parsed };
  });
}

/** What the surface makes of one fixture's inputs: the expected halves. */
function run(
  client: string,
  upstreamName: string,
  fixture: PairFixture,
): Required<Pick<PairFixture, "upstreamRequest" | "upstreamStreamRequest" | "clientAnswer" | "clientStream">> {
  const { surface, call } = CLIENTS[client];
  const upstream = UPSTREAMS[upstreamName];
  const candidate = candidateFor(upstream);
  // JSON round trips: a surface must not depend on (or change) the objects it is given.
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  const parsed = parse(surface, call(copy(fixture.clientRequest), false));
  const upstreamRequest = copy(surface.upstreamBody(parsed, candidate, upstream));
  const served: ServedAs = { ...GENERATION, includeUsage: parsed.includeUsage, request: parsed.body };
  const clientAnswer = copy(surface.jsonBody(upstream, copy(fixture.upstreamAnswer), served));

  const streamedParsed = parse(surface, call(copy(fixture.clientRequest), true));
  const upstreamStreamRequest = copy(surface.upstreamBody(streamedParsed, candidate, upstream));
  const translator = surface.streamTranslator(upstream, { ...GENERATION, includeUsage: streamedParsed.includeUsage, request: streamedParsed.body });
  const out = [...toSse(fixture.upstreamStream).flatMap((event) => translator.push(event)), ...translator.finish()];
  return { upstreamRequest, upstreamStreamRequest, clientAnswer, clientStream: fromSse(out) };
}

/** A fetch that answers every call with these events as an SSE body. */
const sseFetch = (events: FixtureEvent[]) => {
  const body = toSse(events).map(encodeSse).join("");
  return async () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
};
const client = { apiKey: "sk-test", maxRetries: 0 };

/**
 * What a client's official SDK makes of a stream (its own accumulator), and the parts of
 * it that must equal the JSON answer: a streamed answer and an unstreamed one say the same.
 * A client without one is not checked this way.
 */
const SDK_VIEWS: Record<string, { accumulate: (events: FixtureEvent[]) => Promise<unknown>; view: (answer: Json) => unknown }> = {
  chat: {
    accumulate: (events) =>
      new OpenAI({ ...client, baseURL: "http://gateway.test/api/v1", fetch: sseFetch(events) }).chat.completions
        .stream({ model: "m", messages: [], stream_options: { include_usage: true } })
        .finalChatCompletion(),
    view: (answer) => {
      const choice = (answer.choices as Json[])[0] as { message: Json; finish_reason: unknown };
      const calls = ((choice.message.tool_calls as Json[] | undefined) ?? []).map((call) => ({ id: call.id, function: call.function }));
      return { content: choice.message.content || null, calls, finish: choice.finish_reason, usage: answer.usage };
    },
  },
  messages: {
    accumulate: (events) =>
      new Anthropic({ ...client, baseURL: "http://gateway.test/api/anthropic", fetch: sseFetch(events) }).messages
        .stream({ model: "m", max_tokens: 1, messages: [] })
        .finalMessage(),
    view: (answer) => {
      const usage = answer.usage as Json;
      return {
        content: answer.content,
        stop: answer.stop_reason,
        usage: { input: usage.input_tokens, output: usage.output_tokens, cacheRead: usage.cache_read_input_tokens },
      };
    },
  },
  responses: {
    accumulate: (events) =>
      new OpenAI({ ...client, baseURL: "http://gateway.test/api/v1", fetch: sseFetch(events) }).responses.stream({ model: "m", input: "hi" }).finalResponse(),
    // The SDK's finalResponse() adds its own parses (`parsed`, `parsed_arguments`), not part of the wire.
    view: (answer) =>
      JSON.parse(
        JSON.stringify({ status: answer.status, incomplete: answer.incomplete_details, output: answer.output, usage: answer.usage }, (key, value: unknown) =>
          key === "parsed" || key === "parsed_arguments" ? undefined : value,
        ),
      ) as unknown,
  },
  gemini: {
    // @google/genai has no accumulator: its chunks, read as the Gemini CLI reads them, are joined here (parts in order, the last finishReason and usage).
    accumulate: async (events) => {
      vi.stubGlobal("fetch", sseFetch(events));
      try {
        const ai = new GoogleGenAI({ apiKey: "sk-test", httpOptions: { baseUrl: "http://gateway.test/api/vertex-ai" } });
        const chunks = [];
        for await (const chunk of await ai.models.generateContentStream({ model: GENERATION.servedModel, contents: "hi" })) chunks.push(chunk);
        const candidates = chunks.map((chunk) => chunk.candidates?.[0]);
        const last = chunks.at(-1);
        const parts = candidates.flatMap((candidate) => candidate?.content?.parts ?? []);
        return {
          candidates: [{ content: { role: "model", parts }, finishReason: candidates.at(-1)?.finishReason }],
          usageMetadata: last?.usageMetadata,
          modelVersion: last?.modelVersion,
          responseId: last?.responseId,
        };
      } finally {
        vi.unstubAllGlobals();
      }
    },
    // Text arrives in pieces: adjacent text parts of the same kind (thought or not) read as one.
    view: (answer) => {
      const candidate = ((answer.candidates as Json[] | undefined) ?? [])[0] as { content?: { parts?: Json[] }; finishReason?: unknown } | undefined;
      const parts: Json[] = [];
      for (const part of candidate?.content?.parts ?? []) {
        const previous = parts.at(-1);
        if (typeof part.text === "string" && typeof previous?.text === "string" && previous.thought === part.thought) previous.text += part.text;
        else parts.push({ ...part });
      }
      return { parts, finish: candidate?.finishReason, usage: answer.usageMetadata, model: answer.modelVersion, id: answer.responseId };
    },
  },
};

const pairs = existsSync(ROOT)
  ? readdirSync(ROOT, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
  : [];

describe("protocol pairs through the client surfaces", () => {
  it("has a folder for every pair whose client surface exists, and no folder for an unknown pair", () => {
    const expected = Object.keys(CLIENTS).flatMap((client) =>
      Object.keys(UPSTREAMS)
        .filter((upstream) => upstream !== client)
        .map((upstream) => `${client}-over-${upstream}`),
    );
    for (const pair of expected) expect(pairs).toContain(pair);
    for (const pair of pairs) {
      const [client, upstream] = pair.split("-over-");
      expect(CLIENTS[client], `${pair}: no client surface named ${client} in CLIENTS`).toBeDefined();
      expect(UPSTREAMS[upstream], `${pair}: no upstream protocol named ${upstream}`).toBeDefined();
    }
  });

  for (const pair of pairs) {
    const [client, upstream] = pair.split("-over-");
    const dir = new URL(`${pair}/`, ROOT);
    const cases = readdirSync(dir)
      .filter((file) => file.endsWith(".json"))
      .sort();
    describe(pair, () => {
      it("has cases", () => expect(cases.length).toBeGreaterThan(0));
      for (const file of cases) {
        it(file.replace(/\.json$/, ""), () => {
          const path = new URL(file, dir);
          const fixture = JSON.parse(readFileSync(path, "utf8")) as PairFixture;
          const actual = run(client, upstream, fixture);
          if (UPDATE) {
            const { clientRequest, upstreamAnswer, upstreamStream } = fixture;
            const { upstreamRequest, upstreamStreamRequest, clientAnswer, clientStream } = actual;
            writeFileSync(
              path,
              `${JSON.stringify({ clientRequest, upstreamRequest, upstreamStreamRequest, upstreamAnswer, clientAnswer, upstreamStream, clientStream }, null, 2)}\n`,
            );
            return;
          }
          expect(actual.upstreamRequest).toEqual(fixture.upstreamRequest);
          expect(actual.upstreamStreamRequest).toEqual(fixture.upstreamStreamRequest);
          expect(actual.clientAnswer).toEqual(fixture.clientAnswer);
          expect(actual.clientStream).toEqual(fixture.clientStream);
        });
        const sdk = SDK_VIEWS[client];
        if (sdk && !UPDATE) {
          it(`${file.replace(/\.json$/, "")}: the stream, accumulated by the client's SDK, says what the JSON answer says`, async () => {
            const fixture = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as PairFixture;
            const final = (await sdk.accumulate(fixture.clientStream ?? [])) as Json;
            expect(sdk.view(final)).toEqual(sdk.view(fixture.clientAnswer ?? {}));
          });
        }
      }
    });
  }
});

/**
 * Multi-turn tool use with extended thinking over a Messages upstream: the thinking blocks
 * Anthropic signed come back to it unchanged in the next request, when the client sends
 * back what the gateway answered (a Responses client its reasoning items; a Chat client
 * its message with reasoning_details), streamed or not.
 */
describe("Anthropic thinking signatures survive the round trip through the Chat hub", () => {
  const load = (pair: string): PairFixture => JSON.parse(readFileSync(new URL(`${pair}/thinking-signature-tool-round-trip.json`, ROOT), "utf8")) as PairFixture;
  const candidate = candidateFor("anthropic-messages");
  const lastAssistantTurn = (body: Json): unknown => (body.messages as Json[]).filter((turn) => turn.role === "assistant").at(-1)?.content;
  const finalResponse = (events: FixtureEvent[] | undefined): Json => ((events ?? []).at(-1)?.data as { response: Json }).response;

  it("Responses client: reasoning items with encrypted_content → thinking and redacted_thinking blocks", () => {
    const fixture = load("responses-over-messages");
    for (const answer of [fixture.clientAnswer!, finalResponse(fixture.clientStream)]) {
      const output = answer.output as Json[];
      const call = output.find((item) => item.type === "function_call")!;
      const input = [...(fixture.clientRequest.input as Json[]), ...output, { type: "function_call_output", call_id: call.call_id, output: '{"temp_c":21}' }];
      const parsed = parse(responsesSurface, { body: { ...fixture.clientRequest, input }, path: "/api/v1/responses" });
      const next = responsesSurface.upstreamBody(parsed, candidate, "anthropic-messages");
      expect(lastAssistantTurn(next)).toEqual(fixture.upstreamAnswer.content);
    }
  });

  it("Chat client: a message with reasoning_details → thinking and redacted_thinking blocks", () => {
    const fixture = load("chat-over-messages");
    const message = ((fixture.clientAnswer!.choices as Json[])[0] as { message: Json }).message;
    const call = (message.tool_calls as Json[])[0];
    const messages = [...(fixture.clientRequest.messages as Json[]), message, { role: "tool", tool_call_id: call.id, content: '{"temp_c":21}' }];
    const parsed = parse(chatSurface, { body: { ...fixture.clientRequest, messages }, path: "/api/v1/chat/completions" });
    expect(lastAssistantTurn(chatSurface.upstreamBody(parsed, candidate, "anthropic-messages"))).toEqual(fixture.upstreamAnswer.content);
  });
});

/**
 * Google sends thought parts only when generationConfig.thinkingConfig.includeThoughts is
 * true; the upstream reasons either way (and its reasoning tokens are still counted). Said
 * here apart from the golden files, so that a rewritten fixture cannot quietly change it.
 */
describe("Gemini clients get thoughts only when they ask for them", () => {
  const thoughtsIn = (answers: unknown[]): string[] =>
    answers.flatMap((answer) =>
      (((answer as Json).candidates as { content?: { parts?: Json[] } }[] | undefined) ?? [])
        .flatMap((c) => c.content?.parts ?? [])
        .filter((part) => part.thought === true)
        .map((part) => String(part.text)),
    );
  for (const upstream of ["chat", "messages", "responses"]) {
    it(`over ${upstream}`, () => {
      for (const [file, asked] of [
        ["reasoning.json", true],
        ["reasoning-thoughts-not-asked.json", false],
      ] as const) {
        const fixture = JSON.parse(readFileSync(new URL(`gemini-over-${upstream}/${file}`, ROOT), "utf8")) as PairFixture;
        const actual = run("gemini", upstream, fixture);
        const expected = asked ? ["91 = 7 × 13, so not prime."] : [];
        expect(thoughtsIn([actual.clientAnswer])).toEqual(expected);
        expect(thoughtsIn(actual.clientStream.map((event) => event.data)).join("")).toBe(expected.join(""));
      }
    });
  }
});
