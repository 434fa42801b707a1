/**
 * Issue 14's prompt timings through the real server: how long a 9.5 MB prompt takes to be
 * answered (refused: it cannot fit any context) and what a 150 KB prompt adds over a short
 * one, at concurrency 1, with the server's CPU per call from /proc. Before issue 14 the
 * prompt was tokenized on the event loop: 1.8 s for 9.5 MB, 50-200 ms for 150 KB.
 */
import { startGatewayFixture } from "../tests/support/gateway-fixture.ts";
import { largePromptMessages } from "./large-prompt.ts";
import { treeCpuMs } from "./proc-stats.ts";

const gw = await startGatewayFixture({ MAX_REQUEST_BYTES: String(10 * 1024 * 1024) });
const post = async (body: object) => {
  const started = performance.now();
  const response = await fetch(`${gw.url}/api/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
async function measure(name: string, body: object, runs: number) {
  for (let i = 0; i < 3; i++) await post(body);
  const cpuBefore = treeCpuMs(gw.server.pid);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await post(body));
  const cpuMs = (treeCpuMs(gw.server.pid) - cpuBefore) / runs;
  console.log(
    JSON.stringify({
      name,
      bytes: JSON.stringify(body).length,
      status: results[0].status,
      p50Ms: Number(median(results.map((r) => r.ms)).toFixed(2)),
      serverCpuMsPerCall: Number(cpuMs.toFixed(2)),
    }),
  );
}
try {
  const huge = "lorem ipsum dolor sit amet ".repeat(Math.ceil((9.5 * 1024 * 1024) / 27));
  await measure("short prompt", { model: "test/chat", messages: [{ role: "user", content: "Hello" }] }, 40);
  await measure("150 KB prompt", { model: "test/chat", messages: largePromptMessages() }, 40);
  await measure("9.5 MB prompt", { model: "test/chat", messages: [{ role: "user", content: huge.slice(0, 9.5 * 1024 * 1024) }] }, 10);
} finally {
  await gw.stop();
}
