"use client";
/** A column's conversation: the user's turns, the answers streaming in, and each answer's stats or error. */
import Link from "next/link";
import { formatCost } from "@/components/activity/activity-format";
import type { AnswerStats, PlaygroundMessage } from "./use-playground-chat";

/** "Served by e2e-fast · TTFT 120 ms · 12 in / 30 out tokens · $0.00004" */
function statsParts(stats: AnswerStats): string[] {
  return [
    stats.provider ? `Served by ${stats.provider}` : null,
    stats.ttftMs !== null ? `TTFT ${stats.ttftMs} ms` : null,
    stats.promptTokens !== null ? `${stats.promptTokens} in / ${stats.completionTokens ?? 0} out tokens` : null,
    stats.cost !== null ? formatCost(stats.cost) : null,
    stats.finishReason && stats.finishReason !== "stop" ? `finish: ${stats.finishReason}` : null,
  ].filter((part): part is string => part !== null);
}

function Answer({ message }: { message: Extract<PlaygroundMessage, { role: "assistant" }> }) {
  const parts = statsParts(message.stats);
  return (
    <div className="flex flex-col gap-1" aria-busy={message.state === "streaming"}>
      <div className="max-w-full rounded-lg bg-zinc-100 px-3 py-2 text-sm whitespace-pre-wrap break-words dark:bg-zinc-800">
        {message.content || (message.state === "streaming" ? <span className="text-zinc-500">Waiting for the first token…</span> : null)}
        {message.state === "stopped" ? <span className="ml-1 text-xs text-zinc-500">(stopped)</span> : null}
      </div>
      {message.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm break-words text-red-700 dark:bg-red-950 dark:text-red-300">
          {message.error}
        </p>
      ) : null}
      {parts.length > 0 ? (
        <p className="flex flex-wrap items-center gap-x-2 text-xs text-zinc-500 dark:text-zinc-400" data-testid="answer-stats">
          {parts.join(" · ")}
          {message.stats.requestId && message.state !== "streaming" ? (
            <Link href={`/activity?q=${encodeURIComponent(message.stats.requestId)}`} className="text-teal-700 hover:underline dark:text-teal-400">
              In Activity
            </Link>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}

export function ChatTranscript({ label, messages }: { label: string; messages: readonly PlaygroundMessage[] }) {
  return (
    <div
      role="log"
      aria-label={label}
      aria-live="polite"
      className="flex min-h-40 flex-col gap-3 overflow-y-auto rounded-lg border border-zinc-200 p-3 lg:max-h-[60vh] dark:border-zinc-800"
    >
      {messages.length === 0 ? <p className="m-auto text-sm text-zinc-500">No messages yet.</p> : null}
      {messages.map((message) =>
        message.role === "user" ? (
          <p key={message.id} className="ml-auto max-w-[85%] rounded-lg bg-teal-700 px-3 py-2 text-sm whitespace-pre-wrap break-words text-white">
            {message.content}
          </p>
        ) : (
          <Answer key={message.id} message={message} />
        ),
      )}
    </div>
  );
}
