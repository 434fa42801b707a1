/**
 * The model browser's rows, render only: a table from the md breakpoint up, cards below
 * it. Live figures say "no data yet" until there is traffic, never a made-up number.
 */
import { ArrowRight, AudioLines, FileText, ImageIcon, Type, Video, type LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { DataTable } from "@/components/ui/data-table";
import { STATS_WINDOW_LABELS, type Availability, type ListPrice, type ModelRow, type StatsWindow } from "@/lib/public-pages/model-browser";
import { formatTokens, formatUsdAmount } from "@/lib/public-pages/price-format";

const AVAILABILITY: Record<Availability, { label: string; hint: string; dot: string }> = {
  up: { label: "operational", hint: "A provider answered at least 95% of recent requests", dot: "bg-emerald-500" },
  degraded: { label: "degraded", hint: "Recent requests partly failed", dot: "bg-amber-500" },
  down: { label: "down", hint: "Every provider is failing or paused", dot: "bg-red-500" },
  unknown: { label: "no data yet", hint: "No traffic yet", dot: "bg-zinc-300 dark:bg-zinc-600" },
};

const MODALITY_ICONS: Record<string, LucideIcon> = { text: Type, image: ImageIcon, video: Video, audio: AudioLines, file: FileText };

const noData = <span className="text-zinc-500">no data yet</span>;

function modelHref(slug: string): string {
  return `/models/${slug.split("/").map(encodeURIComponent).join("/")}`;
}

function AvailabilityDot({ availability, window, className = "" }: { availability: Availability; window: StatsWindow | null; className?: string }) {
  const { label, hint, dot } = AVAILABILITY[availability];
  const over = window ? ` (${STATS_WINDOW_LABELS[window]})` : "";
  return (
    <span
      role="img"
      aria-label={`Availability: ${label}${over}`}
      title={`${hint}${over}`}
      className={`inline-block size-2.5 shrink-0 rounded-full ${dot} ${className}`}
    />
  );
}

function Modalities({ input, output }: { input: string[]; output: string[] }) {
  const icons = (modalities: string[]) =>
    modalities.map((modality) => {
      const Icon = MODALITY_ICONS[modality] ?? FileText;
      return (
        <span key={modality} title={modality}>
          <Icon aria-hidden className="size-3.5" />
        </span>
      );
    });
  return (
    <span className="inline-flex items-center gap-1 text-zinc-600 dark:text-zinc-400">
      <span className="sr-only">{`Input: ${input.join(", ")}. Output: ${output.join(", ")}.`}</span>
      {icons(input)}
      <ArrowRight aria-hidden className="size-3 text-zinc-400" />
      {icons(output)}
    </span>
  );
}

function Price({ price }: { price: ListPrice | null }) {
  if (!price) return <span className="text-zinc-500">—</span>;
  return (
    <>
      {formatUsdAmount(price.usdPerMillion)}
      {price.tiered ? (
        <span className="block text-xs text-zinc-500" title="The price rises above a prompt size; this is the base tier">
          tiered
        </span>
      ) : null}
    </>
  );
}

/** The median TTFT and, in small print, the window it is from (the last 5 minutes, else the last hour or day). */
function Latency({ ms, window }: { ms: number | null; window: StatsWindow | null }) {
  if (ms === null) return noData;
  return (
    <>
      {ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`}
      {window ? <span className="block text-xs text-zinc-500">{STATS_WINDOW_LABELS[window]}</span> : null}
    </>
  );
}

function Slug({ slug }: { slug: string }) {
  return (
    <span className="flex items-center gap-1">
      <code className="truncate font-mono text-xs text-zinc-500">{slug}</code>
      <CopyButton text={slug} label={`Copy slug ${slug}`} compact />
    </span>
  );
}

const providerCount = (row: ModelRow) => `${row.providers.length} provider${row.providers.length === 1 ? "" : "s"}`;
const providerNames = (row: ModelRow) => row.providers.map((p) => p.name).join(", ");

function ModelTable({ rows }: { rows: ModelRow[] }) {
  const right = "px-3 py-2 text-right tabular-nums whitespace-nowrap";
  return (
    <DataTable
      caption="Models"
      columns={[
        { label: "Model" },
        { label: "Vendor" },
        { label: "Modalities" },
        { label: "Context", align: "right" },
        { label: "Input", align: "right" },
        { label: "Output", align: "right" },
        { label: "Providers", align: "right" },
        { label: "Latency (TTFT p50)", align: "right" },
      ]}
    >
      {rows.map((row) => (
        <tr key={row.slug} className="align-top">
          <td className="px-3 py-2">
            <div className="flex items-start gap-2">
              <AvailabilityDot availability={row.availability} window={row.statsWindow} className="mt-1.5" />
              <div className="min-w-0">
                <Link href={modelHref(row.slug)} prefetch={false} className="font-medium hover:text-teal-700 hover:underline dark:hover:text-teal-400">
                  {row.displayName}
                </Link>
                <Slug slug={row.slug} />
              </div>
            </div>
          </td>
          <td className="px-3 py-2 whitespace-nowrap">{row.vendorName}</td>
          <td className="px-3 py-2">
            <Modalities input={row.inputModalities} output={row.outputModalities} />
          </td>
          <td className={right}>{formatTokens(row.contextLength)}</td>
          <td className={right}>
            <Price price={row.inputPrice} />
          </td>
          <td className={right}>
            <Price price={row.outputPrice} />
          </td>
          <td className={right} title={providerNames(row)}>
            {row.providers.length}
          </td>
          <td className={right}>
            <Latency ms={row.ttftP50Ms} window={row.statsWindow} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="tabular-nums">{children}</dd>
    </div>
  );
}

function ModelCards({ rows }: { rows: ModelRow[] }) {
  return (
    <ul className="grid gap-3">
      {rows.map((row) => (
        <li key={row.slug} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
          <div className="flex items-start gap-2">
            <AvailabilityDot availability={row.availability} window={row.statsWindow} className="mt-1.5" />
            <div className="min-w-0 flex-1">
              <Link href={modelHref(row.slug)} prefetch={false} className="font-medium hover:underline">
                {row.displayName}
              </Link>
              <p className="text-xs text-zinc-500">
                {row.vendorName} · <span title={providerNames(row)}>{providerCount(row)}</span>
              </p>
            </div>
            <Modalities input={row.inputModalities} output={row.outputModalities} />
          </div>
          <div className="mt-2">
            <Slug slug={row.slug} />
          </div>
          <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm min-[480px]:grid-cols-4">
            <Figure label="Context">{formatTokens(row.contextLength)}</Figure>
            <Figure label="Input / 1M">
              <Price price={row.inputPrice} />
            </Figure>
            <Figure label="Output / 1M">
              <Price price={row.outputPrice} />
            </Figure>
            <Figure label="Latency">
              <Latency ms={row.ttftP50Ms} window={row.statsWindow} />
            </Figure>
          </dl>
        </li>
      ))}
    </ul>
  );
}

export function ModelResults({ rows }: { rows: ModelRow[] }) {
  return (
    <>
      <div className="hidden md:block">
        <ModelTable rows={rows} />
      </div>
      <div className="md:hidden">
        <ModelCards rows={rows} />
      </div>
    </>
  );
}
