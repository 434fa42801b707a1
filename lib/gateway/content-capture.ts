/**
 * Request and response bodies for accounts that opted in to storing them (debugging in
 * the activity detail). Off by default: without a capture nothing of the content is
 * kept anywhere. Each body is capped at `maxBytes`; what is cut is marked as such.
 */
export type CapturedContent = { requestBody: string; responseBody: string | null; truncated: boolean };

export class ContentCapture {
  private readonly request: string;
  private response: string | null = null;
  private responseBytes = 0;
  private truncated = false;

  constructor(
    requestBody: unknown,
    private readonly maxBytes: number,
  ) {
    this.request = this.cap(JSON.stringify(requestBody) ?? "");
  }

  /** the whole answer at once (a JSON response or an error body) */
  setResponse(text: string): void {
    this.response = null;
    this.responseBytes = 0;
    this.appendResponse(text);
  }

  /** a piece of a streamed answer, as sent to the client */
  appendResponse(text: string): void {
    if (this.responseBytes >= this.maxBytes) {
      this.truncated = true;
      return;
    }
    const room = this.maxBytes - this.responseBytes;
    const piece = Buffer.byteLength(text) > room ? this.cut(text, room) : text;
    this.response = (this.response ?? "") + piece;
    this.responseBytes += Buffer.byteLength(piece);
  }

  result(): CapturedContent {
    return { requestBody: this.request, responseBody: this.response, truncated: this.truncated };
  }

  private cap(text: string): string {
    return Buffer.byteLength(text) > this.maxBytes ? this.cut(text, this.maxBytes) : text;
  }

  private cut(text: string, bytes: number): string {
    this.truncated = true;
    // Cutting the UTF-8 bytes may split a character; drop the partial one.
    return Buffer.from(text)
      .subarray(0, bytes)
      .toString("utf8")
      .replace(/\uFFFD$/, "");
  }
}
