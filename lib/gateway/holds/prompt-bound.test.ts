import fc from "fast-check";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { IMAGE_TOKEN_BOUND, PDF_PAGE_TOKEN_BOUND, promptTokenBound, TOOLS_OVERHEAD_TOKENS } from "./prompt-bound.ts";

const chat = (content: unknown) => ({ model: "m", messages: [{ role: "user", content }] });

describe("promptTokenBound", () => {
  it("is at least the tokenizer's count for any text, multi-byte characters included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), fc.string({ maxLength: 200 }), (text, system) => {
        const body = { model: "m", system, messages: [{ role: "user", content: text }] };
        expect(promptTokenBound(body)).toBeGreaterThanOrEqual(countTokens(text) + countTokens(system) + 8);
      }),
    );
  });

  it("counts an image as the per-image bound, whether inline or by URL, not by its base64 length", () => {
    const inline = { type: "image", source: { type: "base64", media_type: "image/png", data: "A".repeat(400_000) } };
    const url = { type: "image_url", image_url: { url: "https://example.com/cat.png" } };
    const text = promptTokenBound(chat([]));
    expect(promptTokenBound(chat([inline])) - text).toBe(IMAGE_TOKEN_BOUND + 1);
    expect(promptTokenBound(chat([url])) - text).toBe(IMAGE_TOKEN_BOUND + 1);
  });

  it("sizes Gemini media parts: an image at the image bound, a file known by URI as unknown (the context)", () => {
    const gemini = (parts: unknown[]) => ({ contents: [{ role: "user", parts }] });
    const text = promptTokenBound(gemini([]));
    expect(promptTokenBound(gemini([{ inlineData: { mimeType: "image/png", data: "A".repeat(400_000) } }])) - text).toBe(IMAGE_TOKEN_BOUND + 1);
    expect(promptTokenBound(gemini([{ fileData: { mimeType: "image/jpeg", fileUri: "https://example.com/a.jpg" } }])) - text).toBe(IMAGE_TOKEN_BOUND + 1);
    expect(promptTokenBound(gemini([{ fileData: { mimeType: "video/mp4", fileUri: "https://example.com/a.mp4" } }]))).toBe(Number.POSITIVE_INFINITY);
  });

  it("sizes a text document by its text and a PDF by its bytes or its pages, whichever is more", () => {
    const text = "x".repeat(50_000);
    expect(promptTokenBound(chat([{ type: "document", source: { type: "text", media_type: "text/plain", data: text } }]))).toBeGreaterThan(50_000);
    const pages = Buffer.from("%PDF-1.4 " + "<< /Type /Page >> ".repeat(10) + "<< /Type /Pages >>").toString("base64");
    expect(promptTokenBound(chat([{ type: "document", source: { type: "base64", media_type: "application/pdf", data: pages } }]))).toBeGreaterThanOrEqual(
      10 * PDF_PAGE_TOKEN_BOUND,
    );
    const big = Buffer.alloc(300_000, 1).toString("base64");
    expect(promptTokenBound(chat([{ type: "file", file: { filename: "a.pdf", file_data: `data:application/pdf;base64,${big}` } }]))).toBeGreaterThanOrEqual(
      300_000,
    );
  });

  it("is unbounded for a file known only by reference (the caller clamps it to the context)", () => {
    expect(promptTokenBound(chat([{ type: "file", file: { file_id: "file-abc" } }]))).toBe(Infinity);
  });

  it("adds the tool-use instructions a provider inserts when tools are given", () => {
    const tools = [{ name: "t", input_schema: { type: "object" } }];
    const without = promptTokenBound({ ...chat("hi"), tools: [] });
    expect(promptTokenBound({ ...chat("hi"), tools }) - without).toBeGreaterThan(TOOLS_OVERHEAD_TOKENS);
  });
});
