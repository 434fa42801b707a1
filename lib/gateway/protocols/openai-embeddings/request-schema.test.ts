import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors";
import { estimateInputTokens, MAX_EMBEDDING_INPUTS, parseEmbeddingsRequest } from "./request-schema";

function refusal(body: unknown): { message: string; param: string | undefined; status: number } {
  try {
    parseEmbeddingsRequest(body);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { message: error.message, param: error.param, status: error.status };
  }
  throw new Error("expected a refusal");
}

describe("the embeddings request", () => {
  it("reads each accepted form of input as a list of inputs", () => {
    expect(parseEmbeddingsRequest({ model: "m", input: "hello" }).inputs).toEqual(["hello"]);
    expect(parseEmbeddingsRequest({ model: "m", input: ["a", "b"] }).inputs).toEqual(["a", "b"]);
    // A flat token array is one input; an array of token arrays is several.
    expect(parseEmbeddingsRequest({ model: "m", input: [1, 2, 3] }).inputs).toEqual([[1, 2, 3]]);
    expect(parseEmbeddingsRequest({ model: "m", input: [[1, 2], [0]] }).inputs).toEqual([[1, 2], [0]]);
  });

  it("keeps the fields it passes on, and the gateway's routing options", () => {
    const { request } = parseEmbeddingsRequest({
      model: "m",
      input: "x",
      dimensions: 256,
      encoding_format: "base64",
      user: "u-1",
      provider: { routing: { type: "order", providers: ["a", "b"] } },
      extra_field: true,
    });
    expect(request).toMatchObject({
      model: "m",
      dimensions: 256,
      encoding_format: "base64",
      user: "u-1",
      extra_field: true,
      provider: { routing: { type: "order", providers: ["a", "b"] } },
    });
  });

  const bad: [string, unknown, string, RegExp][] = [
    ["no model", { input: "x" }, "model", /model is required/],
    ["no input", { model: "m" }, "input", /input is required/],
    ["an empty string", { model: "m", input: "" }, "input", /empty string/],
    ["an empty array", { model: "m", input: [] }, "input", /can not be empty/],
    ["an empty string in an array", { model: "m", input: ["a", ""] }, "input[1]", /input\[1\] can not be an empty string/],
    ["a number among strings", { model: "m", input: ["a", 3] }, "input[1]", /expected a string/],
    ["an object", { model: "m", input: { text: "a" } }, "input", /is not valid/],
    ["a fractional token id", { model: "m", input: [1, 2.5] }, "input[1]", /token id/],
    ["a negative token id", { model: "m", input: [-1] }, "input[0]", /token id/],
    ["a string among token ids", { model: "m", input: [1, "2"] }, "input[1]", /token id/],
    ["an empty token array", { model: "m", input: [[1], []] }, "input[1]", /can not be empty/],
    ["a bad id in a token array", { model: "m", input: [[1], [2, 0.5]] }, "input[1][1]", /token id/],
    ["too many inputs", { model: "m", input: Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, () => "a") }, "input", /at most 2048/],
    ["dimensions 0", { model: "m", input: "x", dimensions: 0 }, "dimensions", /at least 1/],
    ["negative dimensions", { model: "m", input: "x", dimensions: -5 }, "dimensions", /at least 1/],
    ["fractional dimensions", { model: "m", input: "x", dimensions: 1.5 }, "dimensions", /integer/],
    ["dimensions as a string", { model: "m", input: "x", dimensions: "256" }, "dimensions", /integer/],
    ["an unknown encoding_format", { model: "m", input: "x", encoding_format: "hex" }, "encoding_format", /float or base64/],
    ["user not a string", { model: "m", input: "x", user: 7 }, "user", /string/],
    ["stream", { model: "m", input: "x", stream: true }, "stream", /not supported/],
  ];
  it.each(bad)("refuses %s with a 400 naming the field", (_name, body, param, message) => {
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });

  it("refuses a body that is not an object", () => {
    expect(refusal(["x"]).message).toMatch(/JSON object/);
  });

  it("estimates ~4 characters a token for text and counts token arrays exactly", () => {
    expect(estimateInputTokens("12345678")).toBe(2);
    expect(estimateInputTokens("123456789")).toBe(3);
    expect(estimateInputTokens([5, 6, 7])).toBe(3);
  });
});
