import { describe, expect, it } from "vitest";
import type { EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types.ts";
import type { Candidate } from "../routing/candidate.ts";
import { GatewayError } from "../errors.ts";
import { adapterFor } from "../providers/registry.ts";
import { chatSurface } from "../surfaces/chat-surface.ts";
import { messagesSurface } from "../surfaces/messages-surface.ts";
import { responsesSurface } from "../surfaces/responses-surface.ts";
import { DEFAULT_OUTPUT_CAP, holdFor, prepareAttempts, withOutputCap } from "./upstream-hold.ts";

/** The surfaces here take the model from the body; the request path matters only to Gemini's. */
const ANY_PATH = { path: "/" };

const usd = (value: number) => [{ value, unit: "perMTokens" as const, currency: "USD" as const }];
type Kind = "openai" | "anthropic" | "responses" | "gemini";
const provider = (slug: string, adapter: Kind): ProviderView => ({
  id: slug,
  slug,
  name: slug,
  adapter,
  baseUrl: `https://${slug}.example`,
  apiKeyEnv: "K",
  enabled: true,
});
function candidate(adapter: Kind, extra: Partial<EndpointView> = {}, modelExtra: Partial<ModelView> = {}): Candidate {
  const endpoint: EndpointView = {
    id: adapter,
    slug: `${adapter}/ep`,
    name: "ep",
    provider: provider(adapter, adapter),
    upstreamModel: "m",
    pricings: { prompt: usd(3), completion: usd(15) },
    contextLength: 200_000,
    maxOutput: null,
    supportedParameters: [],
    enabled: true,
    ...extra,
  };
  const model: ModelView = {
    id: "acme/m",
    slug: "acme/m",
    vendor: "acme",
    displayName: "m",
    description: "",
    inputModalities: ["text"],
    outputModalities: ["text"],
    capabilities: { tools: true, vision: false, reasoning: true, json: true },
    contextLength: 200_000,
    maxOutput: null,
    releasedAt: null,
    addedAt: new Date(0),
    enabled: true,
    aliases: [],
    endpoints: [endpoint],
    ...modelExtra,
  };
  return { model, endpoint };
}
const protocolOf = (c: Candidate) => adapterFor(c.endpoint.provider.adapter)!.protocol;
const messages = [{ role: "user", content: "Hello" }];

describe("withOutputCap", () => {
  it("keeps the client's cap, else the catalog's maximum, else sends the default cap upstream (OpenAI)", () => {
    expect(withOutputCap({ max_completion_tokens: 50, max_tokens: 10 }, "openai-chat", candidate("openai"))).toEqual({
      body: { max_completion_tokens: 50, max_tokens: 10 },
      outputCap: 50,
    });
    expect(withOutputCap({}, "openai-chat", candidate("openai", { maxOutput: 8000 }))).toEqual({ body: {}, outputCap: 8000 });
    expect(withOutputCap({}, "openai-chat", candidate("openai"))).toEqual({ body: { max_tokens: DEFAULT_OUTPUT_CAP }, outputCap: DEFAULT_OUTPUT_CAP });
  });

  it("caps a Responses body with max_output_tokens (Responses refuses max_tokens)", () => {
    expect(withOutputCap({ max_output_tokens: 64 }, "openai-responses", candidate("responses"))).toEqual({ body: { max_output_tokens: 64 }, outputCap: 64 });
    expect(withOutputCap({}, "openai-responses", candidate("responses"))).toEqual({
      body: { max_output_tokens: DEFAULT_OUTPUT_CAP },
      outputCap: DEFAULT_OUTPUT_CAP,
    });
  });

  it("holds a Responses request by the body each candidate is sent: translated for Anthropic (its thinking budget included), as is for a Responses upstream", () => {
    const parsed = responsesSurface.parse({ model: "acme/m", input: "Hello", max_output_tokens: 32, reasoning: { effort: "high" } }, ANY_PATH);
    const [anthropic, native] = prepareAttempts([candidate("anthropic"), candidate("responses")], protocolOf, (c, p) =>
      responsesSurface.upstreamBody(parsed, c, p),
    );
    expect(anthropic.body.max_tokens).toBe(16_384 + 1024);
    expect(anthropic.outputCap).toBe(16_384 + 1024);
    expect(native.body).toMatchObject({ max_output_tokens: 32, store: false });
    expect(native.outputCap).toBe(32);
    expect(holdFor([anthropic, native]) >= 17_408n * 15_000n).toBe(true);
  });

  it("caps a Gemini body with generationConfig.maxOutputTokens, the client's (translated) or the default, and holds by it", () => {
    expect(withOutputCap({ contents: [], generationConfig: { temperature: 1 } }, "google-gemini", candidate("gemini"))).toEqual({
      body: { contents: [], generationConfig: { temperature: 1, maxOutputTokens: DEFAULT_OUTPUT_CAP } },
      outputCap: DEFAULT_OUTPUT_CAP,
    });
    expect(withOutputCap({ contents: [] }, "google-gemini", candidate("gemini", { maxOutput: 9000 }))).toEqual({ body: { contents: [] }, outputCap: 9000 });
    const parsed = messagesSurface.parse({ model: "acme/m", messages, max_tokens: 300 }, ANY_PATH);
    const [gemini] = prepareAttempts([candidate("gemini")], protocolOf, (c, p) => messagesSurface.upstreamBody(parsed, c, p));
    expect(gemini.body.generationConfig).toMatchObject({ maxOutputTokens: 300 });
    expect(gemini.outputCap).toBe(300);
    expect(holdFor([gemini]) >= BigInt(gemini.promptBound) * 3_000n + 300n * 15_000n).toBe(true);
  });

  it("reads an Anthropic body's max_tokens", () => {
    expect(withOutputCap({ max_tokens: 77 }, "anthropic-messages", candidate("anthropic")).outputCap).toBe(77);
  });
});

describe("the hold, from the bodies sent upstream", () => {
  it("covers the thinking budget an OpenAI client's reasoning_effort raises Anthropic's max_tokens to", () => {
    const parsed = chatSurface.parse({ model: "acme/m", messages, max_tokens: 10, reasoning_effort: "high" }, ANY_PATH);
    const [attempt] = prepareAttempts([candidate("anthropic")], protocolOf, (c, p) => chatSurface.upstreamBody(parsed, c, p));
    expect(attempt.body.max_tokens).toBe(16_384 + 1024);
    expect(attempt.outputCap).toBe(16_384 + 1024);
    expect(holdFor([attempt]) >= 17_408n * 15_000n).toBe(true);
  });

  it("is the largest over candidates, fallbacks at their own prices included", () => {
    const parsed = messagesSurface.parse({ model: "acme/m", messages, max_tokens: 1000 }, ANY_PATH);
    const dear = candidate("openai", { pricings: { prompt: usd(30), completion: usd(150) } });
    const prepared = prepareAttempts([candidate("anthropic"), dear], protocolOf, (c, p) => messagesSurface.upstreamBody(parsed, c, p));
    expect(holdFor(prepared)).toBe(holdFor([prepared[1]]));
    expect(holdFor(prepared) >= 1000n * 150_000n).toBe(true);
  });

  it("never counts a prompt past the context: a longer one is refused upstream, not billed", () => {
    const parsed = chatSurface.parse({ model: "acme/m", messages: [{ role: "user", content: "x".repeat(5000) }], max_tokens: 1 }, ANY_PATH);
    const [attempt] = prepareAttempts([candidate("openai", { contextLength: 1000 })], protocolOf, (c, p) => chatSurface.upstreamBody(parsed, c, p));
    expect(attempt.promptBound).toBe(1000);
  });

  it("refuses with 402, not a crash, a hold that would not fit a signed 64-bit nano-USD column", () => {
    const parsed = chatSurface.parse({ model: "acme/m", messages, max_tokens: 2 ** 31 - 1 }, ANY_PATH);
    const absurd = candidate("openai", { pricings: { prompt: usd(0), completion: usd(1e13) } });
    const prepared = prepareAttempts([absurd], protocolOf, (c, p) => chatSurface.upstreamBody(parsed, c, p));
    expect(() => holdFor(prepared)).toThrow(GatewayError);
    expect(() => holdFor(prepared)).toThrow(/more than any balance can hold/);
  });
});
