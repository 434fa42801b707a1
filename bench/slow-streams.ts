/**
 * Many concurrent slow streams through one gateway, started within a short ramp: the fake paces
 * each at ~20 tokens/s for the configured time, as long generations do. What matters is
 * that every stream completes, none waits long for its first chunk (no queue for an
 * upstream connection or a billing hold), and the memory the process tree needs.
 */
import { makeAgent, oneRequest, summarize, type Outcome, type Target } from "./load.ts";
import { startRssSampler, treeCpuMs } from "./proc-stats.ts";
import { round } from "./cells.ts";

export type SlowStreamResult = {
  target: string;
  streams: number;
  seconds: number;
  tokensPerSecond: number;
  completed: number;
  failed: number;
  errorSamples: string[];
  firstChunkMs: { p50: number; max: number } | null;
  /** The slowest stream, start to [DONE]. */
  slowestMs: number | null;
  peakRssMb: number;
  rssBeforeMb: number;
  /**
   * CPU per second of the load generator (this process) and of the fake upstream over the
   * stretch: near 1000 (one core) means the harness, not the gateway, was the limit.
   */
  clientCpuMsPerSecond: number;
  fakeCpuMsPerSecond: number;
};

export type SlowStreamOptions = { count: number; seconds: number; tokensPerSecond: number; rampSeconds: number; fakePid: number };

/** Runs the streams against `target`, which must reach the fake with the slow pace set (a model routed there, or knob headers). */
export async function runSlowStreams(target: Target, serverPid: number, options: SlowStreamOptions): Promise<SlowStreamResult> {
  const agent = makeAgent(options.count + 16);
  const slowTarget: Target = { ...target, agent };
  const rss = startRssSampler(serverPid);
  const rssBeforeMb = rss.current();
  const tokens = Math.max(1, Math.round(options.seconds * options.tokensPerSecond));
  // Room for queueing before the first chunk, which is what this measures.
  const timeoutMs = options.seconds * 1000 + 60_000;
  const clientCpuBefore = process.cpuUsage();
  const fakeCpuBefore = treeCpuMs(options.fakePid);
  const started = performance.now();
  // Arrivals spread evenly over the ramp: a thousand connects in the same millisecond
  // overflow a listen backlog (511 in Node) and measure SYN retransmits, not the gateway.
  const step = (options.rampSeconds * 1000) / options.count;
  const start = (i: number): Promise<Outcome> =>
    new Promise((resolve) => setTimeout(resolve, i * step)).then(() => oneRequest(slowTarget, { stream: true, prompt: "short", maxTokens: tokens }, timeoutMs));
  const outcomes = await Promise.all(Array.from({ length: options.count }, (_, i) => start(i)));
  const wallSeconds = (performance.now() - started) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const fakeCpuMs = treeCpuMs(options.fakePid) - fakeCpuBefore;
  const memory = rss.stop();
  await agent.close();
  const firstChunks: number[] = [];
  const durations: number[] = [];
  const errorSamples: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) {
      durations.push(outcome.latencyMs);
      if (outcome.ttftMs !== null) firstChunks.push(outcome.ttftMs);
    } else if (errorSamples.length < 3 && !errorSamples.includes(outcome.error)) errorSamples.push(outcome.error);
  }
  const first = summarize(firstChunks);
  return {
    target: target.name,
    streams: options.count,
    seconds: options.seconds,
    tokensPerSecond: options.tokensPerSecond,
    completed: durations.length,
    failed: options.count - durations.length,
    errorSamples,
    firstChunkMs: firstChunks.length ? { p50: round(first.p50, 1), max: round(Math.max(...firstChunks), 1) } : null,
    slowestMs: durations.length ? round(Math.max(...durations), 0) : null,
    peakRssMb: memory.peakMb,
    rssBeforeMb,
    clientCpuMsPerSecond: round((clientCpu.user + clientCpu.system) / 1000 / wallSeconds, 0),
    fakeCpuMsPerSecond: round(fakeCpuMs / wallSeconds, 0),
  };
}
