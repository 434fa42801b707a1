import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { GatewayError } from "../gateway/errors.ts";
import type { Answer, Exchange, StreamBody } from "../gateway/exchange.ts";
import { openAiErrorAnswer } from "../gateway/protocols/openai-chat/errors.ts";
import { nodeDoor } from "./node-door.ts";

let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(handler: (exchange: Exchange) => Promise<Answer>): Promise<number> {
  server = createServer(nodeDoor(handler, (error) => openAiErrorAnswer(error)));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe("the node door", () => {
  it("stops the producer while the client does not read, and cancels it when the client leaves", async () => {
    const CHUNK = "x".repeat(1024);
    const TOTAL = 200_000; // 200 MB if nothing held it back
    let produced = 0;
    let waiting = false;
    let cancelled = false;
    const body: StreamBody = {
      start(sink) {
        void (async () => {
          while (produced < TOTAL && !cancelled) {
            produced++;
            if (!sink.write(CHUNK)) {
              waiting = true;
              await sink.drained();
              waiting = false;
            }
          }
          if (!cancelled) sink.end();
        })();
      },
      cancel: () => (cancelled = true),
    };
    const port = await serve(async () => ({ status: 200, headers: { "content-type": "text/event-stream" }, body }));
    const socket = connect(port, "127.0.0.1");
    socket.write("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    socket.pause();
    await until(() => waiting);
    // Held back by the socket's buffers, a few MB at most, not the 200 MB it would make.
    expect(produced).toBeLessThan(TOTAL / 4);
    socket.destroy();
    await until(() => cancelled);
    expect(cancelled).toBe(true);
  });

  it("refuses a declared body over the limit before reading it, and closes the connection", async () => {
    let read = false;
    const port = await serve(async (exchange) => {
      try {
        await exchange.readBody(1000);
        read = true;
        return { status: 200, headers: {}, body: "read" };
      } catch (error) {
        return openAiErrorAnswer(error as GatewayError);
      }
    });
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => socket.write("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n{}"));
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk) => (text += chunk));
      socket.on("close", () => resolve(text));
    });
    expect(read).toBe(false);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain('"code":"413"');
  });

  it("aborts the exchange's signal when the client leaves before the answer", async () => {
    let signal: AbortSignal | null = null;
    const port = await serve((exchange) => {
      signal = exchange.signal;
      return new Promise(() => undefined);
    });
    const socket = connect(port, "127.0.0.1", () => socket.write("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
    await until(() => signal !== null);
    socket.destroy();
    await until(() => signal!.aborted);
    expect(signal!.aborted).toBe(true);
    server!.closeAllConnections();
  });
});
