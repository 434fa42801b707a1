/** The /providers list: one card per catalog provider with its protocol, models and measured health. */
import Link from "next/link";
import type { ProviderSummary } from "@/lib/public-pages/provider-detail";
import { formatLatency, formatRate, NO_DATA } from "@/lib/public-pages/stat-format";
import { StatusBadge } from "./status-badge";

export function ProviderCards({ providers }: { providers: ProviderSummary[] }) {
  return (
    <ul aria-label="Providers" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {providers.map((p) => (
        <li key={p.slug} className={`rounded-lg border border-zinc-200 p-4 dark:border-zinc-800 ${p.status === "enabled" ? "" : "opacity-60"}`}>
          <div className="flex items-start justify-between gap-2">
            <h2 className="font-medium">
              <Link href={`/providers/${encodeURIComponent(p.slug)}`} className="hover:underline">
                {p.name}
              </Link>
            </h2>
            <StatusBadge status={p.status} />
          </div>
          <code className="block font-mono text-xs text-zinc-500">{p.slug}</code>
          <div className="mt-1 text-xs text-zinc-500">{p.protocol}</div>
          <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
            <div>
              <dt className="text-xs text-zinc-500">Models</dt>
              <dd className="tabular-nums">{p.models}</dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500">Requests (24 h)</dt>
              <dd className="tabular-nums">{p.day.requests === 0 ? NO_DATA : p.day.requests.toLocaleString("en-US")}</dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500">Availability 1 h / 24 h</dt>
              <dd className="tabular-nums">{p.day.requests === 0 ? NO_DATA : `${formatRate(p.hour.successRate)} / ${formatRate(p.day.successRate)}`}</dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500">TTFT p50 (24 h)</dt>
              <dd className="tabular-nums">{formatLatency(p.day.ttftP50Ms)}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ul>
  );
}
