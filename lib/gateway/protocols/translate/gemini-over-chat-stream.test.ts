/**
 * Chat chunks → Gemini `alt=sse` events: golden fixtures replayed, the translated streams
 * read by the real @google/genai SDK (as the Gemini CLI reads them), the stream contract
 * (no event names, nothing after the end, an early end is an error) and, under random
 * splits of tool-call arguments, whole functionCall args.
 */
import { readdirSync, readFileSync } from "node:fs";
import { ApiError, GoogleGenAI, type GenerateContentResponse } from "@google/genai";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GatewayError } from "../../errors.ts";
import { encodeSse, type SseEvent } from "../../sse.ts";
import type { EventTranslator } from "../../surfaces/types.ts";
import { createChatToGeminiStream, type GeminiAnswerShape } from "./gemini-over-chat-stream.ts";

type Json = Record<string, unknown>;
type StreamFixture = { name: string; shape: GeminiAnswerShape; chunks: string[]; callFinish: boolean; expected: Json[] };

const DIR = new URL("./__fixtures__/gemini-over-chat/", import.meta.url);
const streamFixtures: StreamFixture[] = readdirSync(DIR)
  .filter((file) => file.startsWith("stream-") && file.endsWith(".json"))
  .sort()
  .map((file) => ({ name: file.replace(/\.json$/, ""), ...(JSON.parse(readFileSync(new URL(file, DIR), "utf8")) as object) }) as StreamFixture);

const shape: GeminiAnswerShape = { model: "openai/gpt-4.1", responseId: "gen_1" };

function runStream(fixtureShape: GeminiAnswerShape, chunks: string[], callFinish: boolean): SseEvent[] {
  // Typed as the surfaces' interface: the translator must fit it.
  const translator: EventTranslator = createChatToGeminiStream(fixtureShape);
  return [...chunks.flatMap((data) => translator.push({ data })), ...(callFinish ? translator.finish() : [])];
}

const decoded = (events: SseEvent[]) => events.map((e) => JSON.parse(e.data) as Json);
const chunk = (delta: Json, finish: string | null = null, index = 0) => JSON.stringify({ choices: [{ index, delta, finish_reason: finish }] });

/** Google's stream grammar: unnamed data events, each a GenerateContentResponse naming the model and response, finishReason only on the last. */
function expectWellFormed(events: SseEvent[]): void {
  for (const event of events) expect(event.event).toBeUndefined();
  const data = decoded(events);
  const answers = data.filter((d) => d.error === undefined);
  if (data.some((d) => d.error !== undefined)) expect(data.findIndex((d) => d.error !== undefined)).toBe(data.length - 1);
  for (const answer of answers) expect(answer).toMatchObject({ modelVersion: expect.any(String), responseId: expect.any(String) });
  const finishes = answers.map((a) => ((a.candidates as Json[])[0] as Json).finishReason);
  expect(finishes.slice(0, -1).every((f) => f === undefined)).toBe(true);
}

describe("Chat chunks → Gemini events (golden)", () => {
  it.each(streamFixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    const events = runStream(fixture.shape, fixture.chunks, fixture.callFinish);
    expect(decoded(events)).toEqual(fixture.expected);
    expectWellFormed(events);
  });
});

describe("the translated stream read by @google/genai", () => {
  afterEach(() => vi.unstubAllGlobals());

  async function sdkChunks(events: SseEvent[]): Promise<GenerateContentResponse[]> {
    const body = events.map(encodeSse).join("");
    vi.stubGlobal("fetch", async () => new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } }));
    const ai = new GoogleGenAI({ apiKey: "sk-test", httpOptions: { baseUrl: "http://gateway.test/api/vertex-ai" } });
    const out: GenerateContentResponse[] = [];
    for await (const response of await ai.models.generateContentStream({ model: "openai/gpt-4.1", contents: "hi" })) out.push(response);
    return out;
  }

  it("rebuilds thoughts, text, whole tool calls, the finish reason and the usage", async () => {
    const fixture = streamFixtures.find((f) => f.name === "stream-reasoning-tool-calls")!;
    const responses = await sdkChunks(runStream(fixture.shape, fixture.chunks, fixture.callFinish));
    const parts = responses.flatMap((r) => r.candidates?.[0].content?.parts ?? []);
    expect(
      parts
        .filter((p) => p.thought)
        .map((p) => p.text)
        .join(""),
    ).toBe("The user wants two lookups.");
    // The SDK's .text leaves thoughts out (the last chunk holds only the calls).
    expect(
      responses
        .slice(0, -1)
        .map((r) => r.text ?? "")
        .join(""),
    ).toBe("Checking both.");
    const last = responses.at(-1)!;
    expect(last.functionCalls).toEqual([
      { name: "get_weather", args: { city: "Paris", days: [1, 2] }, id: "call_w" },
      { name: "get_time", args: { city: "Tokyo" }, id: "call_t" },
    ]);
    expect(last.candidates?.[0].finishReason).toBe("STOP");
    expect(last.usageMetadata).toEqual({ promptTokenCount: 80, candidatesTokenCount: 25, thoughtsTokenCount: 20, totalTokenCount: 125 });
  });

  it("throws the error event of a stream that broke off, after the text it had", async () => {
    for (const name of ["stream-error-midway", "stream-cut-before-finish"]) {
      const fixture = streamFixtures.find((f) => f.name === name)!;
      await expect(sdkChunks(runStream(fixture.shape, fixture.chunks, fixture.callFinish))).rejects.toBeInstanceOf(ApiError);
    }
  });
});

describe("stream contract", () => {
  it("after the end nothing more goes out, and finish() is then a no-op", () => {
    const translator = createChatToGeminiStream(shape);
    translator.push({ data: chunk({ content: "x" }, "stop") });
    expect(translator.push({ data: "[DONE]" })).toHaveLength(1);
    expect(translator.push({ data: chunk({ content: "late" }) })).toEqual([]);
    expect(translator.finish()).toEqual([]);
  });

  it("fail() writes Google's error object once, and ends the stream", () => {
    const translator = createChatToGeminiStream(shape);
    translator.push({ data: chunk({ content: "x" }) });
    expect(decoded(translator.fail(new GatewayError(504, "provider_timeout", "The provider timed out")))).toEqual([
      { error: { code: 504, message: "The provider timed out", status: "DEADLINE_EXCEEDED" } },
    ]);
    expect(translator.fail(new GatewayError(500, "internal_server_error", "again"))).toEqual([]);
    expect(translator.finish()).toEqual([]);
  });

  it("an unreadable event is an error; choices other than index 0 are ignored", () => {
    expect(decoded(runStream(shape, ["not json"], true))).toEqual([
      { error: { code: 502, message: "The provider sent an unreadable stream event", status: "INTERNAL" } },
    ]);
    const events = decoded(
      runStream(
        shape,
        [
          JSON.stringify({
            choices: [
              { index: 1, delta: { content: "other" } },
              { index: 0, delta: { content: "mine" } },
            ],
          }),
          chunk({}, "stop"),
          "[DONE]",
        ],
        false,
      ),
    );
    expect(events.map((e) => (e.candidates as Json[])[0])).toEqual([
      { content: { role: "model", parts: [{ text: "mine" }] }, index: 0 },
      { content: { role: "model", parts: [] }, finishReason: "STOP", index: 0 },
    ]);
  });

  it("[DONE] without a finish_reason ends the answer (the upstream said it was done)", () => {
    const events = decoded(runStream(shape, [chunk({ content: "ok" }), "[DONE]"], true));
    expect(((events.at(-1)!.candidates as Json[])[0] as Json).finishReason).toBe("STOP");
  });

  it("includeThoughts: false leaves reasoning deltas out", () => {
    const events = decoded(
      runStream({ ...shape, includeThoughts: false }, [chunk({ reasoning_content: "hmm" }), chunk({ content: "ok" }, "stop"), "[DONE]"], false),
    );
    expect(events.flatMap((e) => ((e.candidates as Json[])[0].content as { parts: Json[] }).parts)).toEqual([{ text: "ok" }]);
  });

  it("however two calls' arguments are split and interleaved, each goes out whole and parsed", () => {
    const splits = (s: string) =>
      fc
        .array(fc.nat(s.length), { maxLength: 6 })
        .map((cuts) => [0, ...[...new Set(cuts)].sort((a, b) => a - b), s.length].map((c, i, all) => s.slice(all[i - 1] ?? 0, c)).slice(1));
    const inputs = [
      { city: "Paris", days: [1, 2] },
      { q: 'a "quoted" value', n: null },
    ];
    const args = inputs.map((input) => JSON.stringify(input));
    fc.assert(
      fc.property(splits(args[0]), splits(args[1]), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), (a, b, order) => {
        const call = (index: number, fragment: string, first: boolean) =>
          chunk({
            tool_calls: [
              {
                index,
                ...(first ? { id: `call_${index}`, type: "function" } : {}),
                function: { ...(first ? { name: `fn${index}` } : {}), arguments: fragment },
              },
            ],
          });
        const queues = [a.map((f, i) => call(0, f, i === 0)), b.map((f, i) => call(1, f, i === 0))];
        const chunks = [queues[0].shift()!];
        for (const pickSecond of order) if (queues[pickSecond ? 1 : 0].length > 0) chunks.push(queues[pickSecond ? 1 : 0].shift()!);
        chunks.push(...queues[0], ...queues[1], chunk({}, "tool_calls"), "[DONE]");
        const events = runStream(shape, chunks, true);
        expectWellFormed(events);
        expect(decoded(events)).toEqual([
          {
            candidates: [
              {
                content: { role: "model", parts: inputs.map((input, i) => ({ functionCall: { name: `fn${i}`, args: input, id: `call_${i}` } })) },
                finishReason: "STOP",
                index: 0,
              },
            ],
            modelVersion: "openai/gpt-4.1",
            responseId: "gen_1",
          },
        ]);
      }),
      { numRuns: 100 },
    );
  });
});
