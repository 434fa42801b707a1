import { describe, expect, it } from "vitest";
import { ContentCapture } from "./content-capture";

describe("ContentCapture", () => {
  it("keeps the request as JSON and the streamed answer in order", () => {
    const capture = new ContentCapture({ model: "m", messages: [{ role: "user", content: "hi" }] }, 1000);
    capture.appendResponse('data: {"a":1}\n\n');
    capture.appendResponse("data: [DONE]\n\n");
    expect(capture.result()).toEqual({
      requestBody: '{"model":"m","messages":[{"role":"user","content":"hi"}]}',
      responseBody: 'data: {"a":1}\n\ndata: [DONE]\n\n',
      truncated: false,
    });
  });

  it("cuts each body at the byte cap without splitting a character, and says so", () => {
    const capture = new ContentCapture({ text: "x".repeat(50) }, 20);
    capture.appendResponse("ééééé"); // 10 bytes
    capture.appendResponse("ééééé"); // 10 more: exactly full
    capture.appendResponse("é");
    const result = capture.result();
    expect(Buffer.byteLength(result.requestBody)).toBe(20);
    expect(result.responseBody).toBe("éééééééééé");
    expect(result.truncated).toBe(true);
    const odd = new ContentCapture({}, 5);
    odd.setResponse("ééé"); // 6 bytes: the third character would be split
    expect(odd.result().responseBody).toBe("éé");
  });

  it("replaces, not appends, a whole response", () => {
    const capture = new ContentCapture({}, 100);
    capture.setResponse("first");
    capture.setResponse("second");
    expect(capture.result().responseBody).toBe("second");
  });
});
