import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64ToFloats, floatsToBase64, withEncoding } from "./embedding-encoding";

/** How the official openai SDK reads a base64 embedding (toFloat32Array in its internal utils). */
const sdkDecode = (encoded: string) => Array.from(new Float32Array(Uint8Array.from(Buffer.from(encoded, "base64")).buffer));

describe("embedding encodings", () => {
  it("writes base64 as little-endian float32, which the SDK decodes to the same numbers", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 64 }), (vector) => {
        const encoded = floatsToBase64(vector);
        expect(sdkDecode(encoded)).toEqual(vector.map(Math.fround));
        expect(base64ToFloats(encoded)).toEqual(vector.map(Math.fround));
      }),
    );
    expect(floatsToBase64([1])).toBe(Buffer.from([0, 0, 0x80, 0x3f]).toString("base64"));
  });

  it("answers in the format the client asked for, whatever the upstream sent", () => {
    const floats = { object: "list", data: [{ object: "embedding", index: 0, embedding: [0.5, -0.25] }], usage: { prompt_tokens: 2, total_tokens: 2 } };
    const base64 = withEncoding(floats, "base64");
    expect(base64).toEqual({ ...floats, data: [{ object: "embedding", index: 0, embedding: floatsToBase64([0.5, -0.25]) }] });
    expect(withEncoding(base64, "float")).toEqual(floats);
    // Already in the asked format: the same object, untouched.
    expect(withEncoding(floats, "float")).toBe(floats);
    expect(withEncoding(base64, "base64")).toBe(base64);
  });

  it("leaves a body without a data list as it is", () => {
    const odd = { object: "list" };
    expect(withEncoding(odd, "base64")).toBe(odd);
  });
});
