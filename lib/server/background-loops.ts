/**
 * The serving process's periodic jobs that belong to no request: each is started through
 * here, so they are listed in one place (docs/architecture.md, "Background loops") and the
 * graceful stop ends them all (drainGateway). Loops with an ordered shutdown of their own
 * (billing, the activity writer, statistics sync, instance liveness, the change feed) are
 * stopped by drainGateway in that order; these are the ones that only need to stop.
 */
import { processSingleton } from "../process-singleton.ts";

type Loop = { name: string; stop: () => void };
const loops = processSingleton<Loop[]>("switchyardLoops", () => []);

/** Runs `run` every `everyMs` without keeping the process alive; a failure is logged with the loop's name. */
export function startLoop(name: string, everyMs: number, run: () => Promise<unknown>): void {
  const timer = setInterval(() => {
    run().catch((error: Error) => console.error(`${name}: ${error.message}`));
  }, everyMs);
  timer.unref();
  loops.push({ name, stop: () => clearInterval(timer) });
}

/** A loop started elsewhere (it owns its timer), stopped with the others. */
export function adoptLoop(name: string, stop: () => void): void {
  loops.push({ name, stop });
}

/** The names of the loops running now (for tests and the docs). */
export function runningLoops(): string[] {
  return loops.map((loop) => loop.name);
}

export function stopBackgroundLoops(): void {
  for (const loop of loops.splice(0)) loop.stop();
}
