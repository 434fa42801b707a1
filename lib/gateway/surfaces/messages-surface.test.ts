/**
 * What the Messages surface asks a Responses upstream for when the client turned thinking
 * on: OpenAI returns reasoning text only as a summary that was asked for, and a client
 * with thinking on expects thinking blocks. (Whole answers and streams: protocol-pairs.test.ts.)
 */
import { describe, expect, it } from "vitest";
import type { EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types.ts";
import type { Candidate } from "../routing/candidate.ts";
import { messagesSurface } from "./messages-surface.ts";

function candidate(reasoning: boolean): Candidate {
  const provider: ProviderView = {
    id: "openai",
    slug: "openai",
    name: "OpenAI",
    adapter: "responses",
    baseUrl: "https://openai.example",
    apiKeyEnv: "K",
    enabled: true,
  };
  const endpoint: EndpointView = {
    id: "e",
    slug: "openai/ep",
    name: "ep",
    provider,
    upstreamModel: "m",
    pricings: { prompt: [], completion: [] },
    contextLength: 200_000,
    maxOutput: null,
    supportedParameters: [],
    enabled: true,
  };
  const model: ModelView = {
    id: "acme/m",
    slug: "acme/m",
    vendor: "acme",
    displayName: "m",
    description: "",
    inputModalities: ["text"],
    outputModalities: ["text"],
    capabilities: { tools: true, vision: false, reasoning, json: true },
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

const PATH = { path: "/api/anthropic/v1/messages" };
const reasoningFor = (extra: Record<string, unknown>, reasons = true): unknown => {
  const body = { model: "acme/m", max_tokens: 8000, messages: [{ role: "user", content: "Is 91 prime?" }], ...extra };
  return messagesSurface.upstreamBody(messagesSurface.parse(body, PATH), candidate(reasons), "openai-responses").reasoning;
};

describe("messagesSurface.upstreamBody for a Responses upstream: thinking on", () => {
  it("asks for a reasoning summary with the effort the budget maps to (adaptive thinking: the upstream's own effort)", () => {
    expect(reasoningFor({ thinking: { type: "enabled", budget_tokens: 4096 } })).toEqual({ effort: "medium", summary: "auto" });
    expect(reasoningFor({ thinking: { type: "adaptive" } })).toEqual({ summary: "auto" });
  });

  it("asks for none with thinking off or absent, or from a model that does not reason (OpenAI refuses reasoning settings there)", () => {
    expect(reasoningFor({ thinking: { type: "disabled" } })).toBeUndefined();
    expect(reasoningFor({})).toBeUndefined();
    expect(reasoningFor({ thinking: { type: "adaptive" } }, false)).toBeUndefined();
  });
});
