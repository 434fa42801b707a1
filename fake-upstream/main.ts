/**
 * CLI: `npm run fake-upstream -- --port 4010 --ttft-ms 200 --tokens-per-second 50`.
 * Every knob is a `--kebab-name` flag setting the server-wide default knobs.
 */
import { parseArgs } from "node:util";
import { camelToKebab, KNOB_HELP, KNOB_NAMES, KnobError, parseKnobStrings } from "./knobs.ts";
import { startFakeUpstream } from "./server.ts";

const knobFlags = Object.fromEntries(KNOB_NAMES.map((name) => [camelToKebab(name), { type: "string" as const }]));

function usage(): string {
  const knobLines = KNOB_NAMES.map((name) => `  --${camelToKebab(name).padEnd(22)}${KNOB_HELP[name]}`);
  return [
    "Usage: npm run fake-upstream -- [--port 4010] [--host 127.0.0.1] [knob flags]",
    "",
    "A fake OpenAI (Chat Completions, Responses, embeddings), Anthropic Messages and Google Gemini",
    "provider for tests and benchmarks.",
    "Base URLs: OpenAI http://HOST:PORT/v1, Anthropic and Gemini (@google/genai baseUrl) http://HOST:PORT;",
    "per provider name: http://HOST:PORT/p/<name>[;knob=value...]/...",
    "Per-request knobs: x-fake-<knob> headers. Inspect: GET /_stats. Steer: POST /_control/knobs/<name>.",
    "",
    "Options:",
    "  --port N                port to listen on (default 4010, 0 = random)",
    "  --host H                interface to bind (default 127.0.0.1)",
    "  --help                  show this help",
    "",
    "Default knobs:",
    ...knobLines,
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      help: { type: "boolean", short: "h", default: false },
      ...knobFlags,
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(usage());
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new KnobError(`invalid --port ${values.port}`);

  const pairs: [string, string][] = [];
  for (const name of KNOB_NAMES) {
    const value = values[camelToKebab(name) as keyof typeof values];
    if (typeof value === "string") pairs.push([name, value]);
  }
  const defaults = parseKnobStrings(pairs, "command line");

  const upstream = await startFakeUpstream({ port, host: values.host, defaults });
  console.log(`fake upstream listening on ${upstream.url}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    upstream.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("fake upstream: error while closing:", error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error("Run with --help for usage.");
  process.exit(2);
});
