/**
 * What the Responses surface sends each upstream when the client's history holds reasoning
 * the gateway wrote from Anthropic thinking (reasoning-details.ts): only a Messages upstream
 * can read it back. (Whole answers and streams: protocol-pairs.test.ts.)
 */
import { describe, expect, it } from "vitest";
import type { EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types.ts";
import type { Candidate } from "../routing/candidate.ts";
import { responsesSurface } from "./responses-surface.ts";

type Json = Record<string, unknown>;

function candidate(adapter: ProviderView["adapter"]): Candidate {
  const provider: ProviderView = { id: adapter, slug: adapter, name: adapter, adapter, baseUrl: `https://${adapter}.example`, apiKeyEnv: "K", enabled: true };
  const endpoint: EndpointView = {
    id: adapter,
    slug: `${adapter}/ep`,
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
    capabilities: { tools: true, vision: false, reasoning: true, json: true },
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

const PATH = { path: "/api/v1/responses" };
const signed = {
  type: "reasoning",
  id: "rs_gen_1_0",
  summary: [{ type: "summary_text", text: "Paris first." }],
  encrypted_content: "anthropic-thinking-signature:EqQBSig",
};
const redacted = { type: "reasoning", id: "rs_gen_1_1", summary: [], encrypted_content: "anthropic-redacted-thinking:EmwKRedacted" };
/** OpenAI's own reasoning item (store: false, include reasoning.encrypted_content): OpenAI reads it back. */
const openAiReasoning = { type: "reasoning", id: "rs_68ab", summary: [], encrypted_content: "gAAAAABo-openai-sealed" };
const call = { type: "function_call", id: "fc_gen_1_2", call_id: "toolu_paris", name: "get_weather", arguments: '{"city":"Paris"}' };
const history = (...reasoning: Json[]): Json[] => [
  { type: "message", role: "user", content: [{ type: "input_text", text: "Weather in Paris?" }] },
  ...reasoning,
  call,
  { type: "function_call_output", call_id: "toolu_paris", output: '{"temp_c":18}' },
];
const request = (input: unknown): Json => ({
  model: "acme/m",
  input,
  reasoning: { effort: "high" },
  include: ["reasoning.encrypted_content"],
  max_output_tokens: 20_000,
});

describe("responsesSurface.upstreamBody: reasoning the gateway wrote from Anthropic thinking", () => {
  it("is left out of a Responses upstream's input (OpenAI cannot decrypt it); OpenAI's own reasoning items and everything else stay, in order", () => {
    const parsed = responsesSurface.parse(request(history(signed, redacted, openAiReasoning)), PATH);
    const body = responsesSurface.upstreamBody(parsed, candidate("responses"), "openai-responses");
    expect(body.input).toEqual(history(openAiReasoning));
    expect(body).toMatchObject({ reasoning: { effort: "high" }, include: ["reasoning.encrypted_content"], store: false });
    // The parsed request is not changed: a later candidate (a Messages one) still gets the thinking.
    expect(parsed.body.input).toEqual(history(signed, redacted, openAiReasoning));
  });

  it("leaves a string input, and a history without such items, as the client sent them", () => {
    const text = responsesSurface.upstreamBody(responsesSurface.parse(request("Hello"), PATH), candidate("responses"), "openai-responses");
    expect(text.input).toBe("Hello");
    const own = responsesSurface.upstreamBody(responsesSurface.parse(request(history(openAiReasoning)), PATH), candidate("responses"), "openai-responses");
    expect(own.input).toEqual(history(openAiReasoning));
  });

  it("goes to a Chat upstream without reasoning_details (the hub's extension, no Chat field), and to a Messages upstream as its signed blocks", () => {
    const parsed = responsesSurface.parse(request(history(signed, redacted)), PATH);
    const chat = responsesSurface.upstreamBody(parsed, candidate("openai"), "openai-chat");
    const assistant = (chat.messages as Json[]).filter((message) => message.role === "assistant");
    expect(assistant).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "toolu_paris", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      },
    ]);
    const messages = responsesSurface.upstreamBody(parsed, candidate("anthropic"), "anthropic-messages");
    const turn = (messages.messages as Json[]).find((message) => message.role === "assistant") as { content: Json[] };
    expect(turn.content.slice(0, 2)).toEqual([
      { type: "thinking", thinking: "Paris first.", signature: "EqQBSig" },
      { type: "redacted_thinking", data: "EmwKRedacted" },
    ]);
  });
});
