import { describe, expect, it } from "vitest";
import { serializeJsonBody } from "./json-body.ts";

const text = (value: string | Buffer) => (typeof value === "string" ? value : value.toString("utf8"));

describe("serializeJsonBody", () => {
  it("writes what JSON.stringify writes for small bodies, as one string", () => {
    const body = {
      model: "m",
      messages: [{ role: "user", content: 'hi "there" é 😀' }, undefined],
      skip: undefined,
      fn: () => 1,
      n: 1.5,
      nested: { a: [1, null] },
      empty: [],
    };
    const written = serializeJsonBody(body);
    expect(typeof written).toBe("string");
    expect(written).toBe(JSON.stringify(body));
  });

  it("writes a large body as a Buffer with the same bytes", () => {
    const messages = Array.from({ length: 400 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `turn ${i} ${"ünïcode text ".repeat(40)}` }));
    const body = { model: "m", max_tokens: 20, messages, tools: [{ type: "function", function: { name: "f", parameters: {} } }], date: new Date(0) };
    const written = serializeJsonBody(body);
    expect(Buffer.isBuffer(written)).toBe(true);
    expect(text(written)).toBe(JSON.stringify(body));
  });

  it("leaves objects with toJSON to JSON.stringify", () => {
    const body = { toJSON: () => ({ replaced: true }) };
    expect(serializeJsonBody(body)).toBe(JSON.stringify(body));
  });
});
