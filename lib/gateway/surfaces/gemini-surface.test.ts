/**
 * What the Gemini surface asks a Responses upstream for when the client wants thoughts
 * (thinkingConfig.includeThoughts): OpenAI returns reasoning text only as a summary that
 * was asked for. (Whole answers and streams: protocol-pairs.test.ts.)
 */
import { describe, expect, it } from "vitest";
import type { EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types.ts";
import type { Candidate } from "../routing/candidate.ts";
import { geminiSurface } from "./gemini-surface.ts";

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

const PATH = { path: "/api/vertex-ai/v1beta/models/acme/m:streamGenerateContent" };
const reasoningFor = (thinkingConfig: Record<string, unknown> | undefined, reasons = true): unknown => {
  const body = { contents: [{ role: "user", parts: [{ text: "Is 91 prime?" }] }], ...(thinkingConfig ? { generationConfig: { thinkingConfig } } : {}) };
  return geminiSurface.upstreamBody(geminiSurface.parse(body, PATH), candidate(reasons), "openai-responses").reasoning;
};

describe("geminiSurface.upstreamBody for a Responses upstream: thoughts asked for", () => {
  it("asks for a reasoning summary, with the effort the budget maps to or the upstream's own (dynamic budget, Gemini CLI's default)", () => {
    expect(reasoningFor({ includeThoughts: true, thinkingBudget: 4096 })).toEqual({ effort: "medium", summary: "auto" });
    expect(reasoningFor({ includeThoughts: true, thinkingBudget: -1 })).toEqual({ summary: "auto" });
    expect(reasoningFor({ includeThoughts: true, thinkingLevel: "HIGH" })).toEqual({ effort: "high", summary: "auto" });
  });

  it("asks for none when thoughts were not asked for, reasoning is off, or the model does not reason (OpenAI refuses reasoning settings there)", () => {
    expect(reasoningFor({ thinkingBudget: 4096 })).toEqual({ effort: "medium" });
    expect(reasoningFor(undefined)).toBeUndefined();
    expect(reasoningFor({ includeThoughts: true, thinkingBudget: 0 })).toEqual({ effort: "none" });
    expect(reasoningFor({ includeThoughts: true, thinkingBudget: -1 }, false)).toBeUndefined();
  });
});
