"use client";
/**
 * One call in full: metadata, the attempt chain as a timeline (each provider tried, its
 * outcome and duration, which one served), stored bodies when the account keeps them,
 * and the raw generation record with a copy button.
 */
import type { ReactNode } from "react";
import { Modal } from "@/components/ui/modal";
import { CopyButton } from "@/components/ui/copy-button";
import type { ActivityDetailDto } from "@/lib/activity/activity-detail";
import { protocolLabel } from "@/lib/activity/protocol-names";
import { formatCount, formatMs, formatTime, formatTps } from "./activity-format";
import { StatusBadge } from "./activity-cells";
import { useActivityDetail } from "./use-activity";
import { Money } from "@/components/ui/money";

function Section({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section aria-label={title} className="mt-5">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{title}</h3>
        {action}
      </div>
      {children}
    </section>
  );
}

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[minmax(0,7rem)_1fr] gap-x-4 sm:grid-cols-[10rem_1fr] gap-y-1 text-sm">
      {items.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="text-zinc-500">{name}</dt>
          <dd className="min-w-0 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Body({ label, text }: { label: string; text: string | null }) {
  let shown = text ?? "";
  try {
    shown = text ? JSON.stringify(JSON.parse(text), null, 2) : "";
  } catch {
    // A stream's SSE text, or a cut body: shown as it is.
  }
  return (
    <div className="mt-2">
      <p className="text-xs text-zinc-500">{label}</p>
      <pre
        aria-label={label}
        className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-all rounded-md bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-800"
      >
        {shown || "(empty)"}
      </pre>
    </div>
  );
}

function AttemptTimeline({ attempts }: { attempts: ActivityDetailDto["record"]["attempts"] }) {
  if (attempts.length === 0)
    return <p className="text-sm text-zinc-500">No provider was tried: the gateway refused the call before routing (see the error above).</p>;
  return (
    <ol aria-label="Attempts" className="relative ml-2 border-l border-zinc-300 dark:border-zinc-700">
      {attempts.map((a) => (
        <li key={a.seq} className="mb-3 ml-4">
          <span
            aria-hidden
            className={`absolute -left-1.5 mt-1.5 size-3 rounded-full ${a.served ? "bg-teal-600" : a.status === "success" ? "bg-zinc-400" : "bg-red-500"}`}
          />
          <p className="text-sm">
            <span className="font-medium">
              {a.seq}. {a.provider}
            </span>{" "}
            — {a.served ? "served the answer" : a.status === "success" ? "answered" : `${a.status}${a.httpStatus ? ` ${a.httpStatus}` : ""}`} ·{" "}
            {formatMs(a.durationMs)}
          </p>
          {a.error ? (
            <p className="text-xs text-red-700 dark:text-red-400">
              {a.error.type}: {a.error.message}
            </p>
          ) : null}
          <p className="text-xs text-zinc-500">started {formatTime(a.startedAt)}</p>
        </li>
      ))}
    </ol>
  );
}

/** The detail's shape while it loads: fact rows, a section heading, the timeline. */
function DetailSkeleton() {
  const bar = "rounded bg-zinc-200 dark:bg-zinc-800";
  return (
    <div role="status" aria-busy="true" aria-label="Loading call details" className="animate-pulse">
      <div className="grid grid-cols-[minmax(0,7rem)_1fr] gap-x-4 gap-y-2.5 sm:grid-cols-[10rem_1fr]">
        {[60, 45, 35, 50, 70, 65, 40, 30, 25].map((width, i) => (
          <div key={i} className="contents">
            <div className={`h-4 w-20 sm:w-24 ${bar}`} />
            <div className={`h-4 ${bar}`} style={{ width: `${width}%` }} />
          </div>
        ))}
      </div>
      <div className={`mt-6 h-4 w-32 ${bar}`} />
      <div className="mt-3 space-y-2.5">
        {[80, 55, 70].map((width, i) => (
          <div key={i} className={`h-4 ${bar}`} style={{ width: `${width}%` }} />
        ))}
      </div>
      <div className={`mt-6 h-4 w-28 ${bar}`} />
      <div className="ml-2 mt-3 space-y-3 border-l border-zinc-200 pl-4 dark:border-zinc-800">
        <div className={`h-4 w-2/3 ${bar}`} />
        <div className={`h-4 w-1/2 ${bar}`} />
      </div>
    </div>
  );
}

type GenerationRecord = ActivityDetailDto["record"];

function CallFacts({ detail }: { detail: ActivityDetailDto }) {
  const r = detail.record;
  return (
    <Facts
      items={[
        [
          "Generation ID",
          <code key="id" className="font-mono text-xs">
            {r.generationId}
          </code>,
        ],
        ["Time", formatTime(r.createAt)],
        ["Account", detail.account],
        ...(detail.member ? [["Member", detail.member] as [string, string]] : []),
        ["API key", detail.apiKey ? `${detail.apiKey.name} (${detail.apiKey.start}…)` : "—"],
        ["Client protocol", `${protocolLabel(detail.protocols.client, "full")}${r.streamed ? ", streamed" : ""}`],
        [
          "Upstream protocol",
          detail.protocols.upstream === null
            ? "— (no upstream served)"
            : `${protocolLabel(detail.protocols.upstream, "full")}${detail.protocols.upstream === detail.protocols.client ? " (passed through)" : " (translated)"}`,
        ],
        ["Model", r.requestedModel === r.model ? r.model : `${r.model} (asked for ${r.requestedModel})`],
        ["Provider", r.provider ?? "—"],
        ["Status", <StatusBadge key="status" status={r.status} httpStatus={r.httpStatus} />],
        ["Finish reason", r.finishReason ?? "—"],
        ...(r.error ? ([["Error", `${r.error.type}: ${r.error.message ?? ""}`]] as [string, ReactNode][]) : []),
      ]}
    />
  );
}

function TokensAndCost({ record }: { record: GenerationRecord }) {
  const tokens = record.nativeTokens;
  return (
    <Section title="Tokens and cost">
      <Facts
        items={[
          ["Prompt", formatCount(tokens.prompt_tokens)],
          ["Cache read", formatCount(tokens.prompt_tokens_details.cached_tokens)],
          ["Cache write", formatCount(tokens.prompt_tokens_details.cache_write_tokens)],
          ["Completion", formatCount(tokens.completion_tokens)],
          ["Reasoning", formatCount(tokens.completion_tokens_details.reasoning_tokens)],
          ...record.ratingResponses.ratingDetails.map((d): [string, ReactNode] => [
            `${d.feeItemCode}`,
            `${formatCount(d.quantity)} × $${d.rate}${d.unit === "perMTokens" ? "/M" : ""} = $${d.billAmount}`,
          ]),
          ["Cost", <Money key="cost" amount={record.costUsd} />],
        ]}
      />
    </Section>
  );
}

function Timing({ record }: { record: GenerationRecord }) {
  return (
    <Section title="Timing">
      <Facts
        items={[
          ["First token", formatMs(record.latency)],
          ["Generation", formatMs(record.generationTime)],
          ["Total latency", formatMs(record.totalLatency)],
          ["Throughput", formatTps(record.throughput)],
        ]}
      />
    </Section>
  );
}

function StoredBodies({ content }: { content: ActivityDetailDto["content"] }) {
  return (
    <Section title="Request and response">
      {content ? (
        <>
          {content.truncated ? <p className="text-xs text-amber-700 dark:text-amber-400">Cut at the size limit for stored bodies.</p> : null}
          <Body label="Request body" text={content.requestBody} />
          <Body label="Response body" text={content.responseBody} />
        </>
      ) : (
        <p className="text-sm text-zinc-500">
          Not stored: only metadata is kept unless the account turns on storing bodies (Settings → Privacy), and stored bodies are deleted after a few days.
        </p>
      )}
    </Section>
  );
}

function RawRecord({ record }: { record: GenerationRecord }) {
  return (
    <Section title="Raw record" action={<CopyButton text={JSON.stringify(record, null, 2)} label="Copy JSON" />}>
      <pre aria-label="Raw generation record" className="max-h-64 overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-800">
        {JSON.stringify(record, null, 2)}
      </pre>
    </Section>
  );
}

export function ActivityDetailPanel({ id, onClose }: { id: string | null; onClose: () => void }) {
  const query = useActivityDetail(id);
  const detail = query.data;
  const r = detail?.record;
  const tokens = r?.nativeTokens;
  return (
    <Modal open={id !== null} title="Call details" onRequestClose={onClose} wide>
      {query.isPending ? <DetailSkeleton /> : null}
      {query.error ? (
        <p role="alert" className="text-sm text-red-700">
          {query.error.message}
        </p>
      ) : null}
      {detail && r && tokens ? (
        <div className="max-h-[70vh] overflow-y-auto pr-1">
          <CallFacts detail={detail} />
          <TokensAndCost record={r} />
          <Timing record={r} />
          <Section title={`Attempts (${r.attempts.length})`}>
            <AttemptTimeline attempts={r.attempts} />
          </Section>
          <StoredBodies content={detail.content} />
          <RawRecord record={r} />
        </div>
      ) : null}
      <div className="mt-4 flex justify-end">
        <button type="button" className="rounded-md px-3 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
