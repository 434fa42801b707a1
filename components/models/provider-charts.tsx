"use client";
/**
 * TTFT, throughput and availability per provider, per hour over the last 24 hours (data
 * from lib/public-pages/provider-series.ts). The three charts share one time axis: the same
 * domain and ticks, in UTC, so an hour lines up across them.
 */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartRow, ProviderCharts } from "@/lib/public-pages/provider-series";

const COLOURS = ["#0f766e", "#d97706", "#6366f1", "#db2777", "#0284c7", "#65a30d", "#9333ea", "#dc2626"];

type TimeAxis = { domain: [number, number]; ticks: number[] };

const hourLabel = (t: number) => new Date(t).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** One axis for all three charts: the rows' first to last hour, a tick every 6 hours. */
function sharedTimeAxis(rows: ChartRow[]): TimeAxis {
  const first = rows[0]?.time ?? 0;
  const last = rows.at(-1)?.time ?? first;
  const ticks = rows.map((row) => row.time).filter((t) => new Date(t).getUTCHours() % 6 === 0);
  return { domain: [first, last], ticks };
}

function Chart({ title, rows, providers, unit, axis }: { title: string; rows: ChartRow[]; providers: string[]; unit: string; axis: TimeAxis }) {
  return (
    <figure className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <figcaption className="mb-3 text-sm font-medium">{title}</figcaption>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeOpacity={0.15} vertical={false} />
            <XAxis
              dataKey="time"
              type="number"
              scale="time"
              domain={axis.domain}
              ticks={axis.ticks}
              tickFormatter={hourLabel}
              tick={{ fill: "currentColor", fontSize: 11 }}
              stroke="currentColor"
              strokeOpacity={0.3}
            />
            <YAxis
              width="auto"
              tick={{ fill: "currentColor", fontSize: 11 }}
              stroke="currentColor"
              strokeOpacity={0.3}
              tickFormatter={(v: number) => `${v}${unit}`}
            />
            <Tooltip
              labelFormatter={(t) =>
                `${new Date(Number(t)).toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" })} UTC, the hour from then`
              }
              formatter={(value) => (value === null || value === undefined ? "no data" : `${value}${unit}`)}
              contentStyle={{ fontSize: 12 }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {providers.map((p, i) => (
              <Line
                key={p}
                type="monotone"
                dataKey={p}
                name={p}
                stroke={COLOURS[i % COLOURS.length]}
                strokeWidth={2}
                dot={{ r: 2 }}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function ProviderChartsPanel({ charts }: { charts: ProviderCharts }) {
  if (charts.providers.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        No data yet: charts appear once calls (or health probes) have reached this model&apos;s providers.
      </p>
    );
  }
  const axis = sharedTimeAxis(charts.ttft);
  return (
    <>
      <p className="mb-3 text-xs text-zinc-500">Per hour, last 24 hours; times in UTC.</p>
      <div className="grid gap-4 lg:grid-cols-3">
        <Chart title="Time to first token (p50)" rows={charts.ttft} providers={charts.providers} unit=" ms" axis={axis} />
        <Chart title="Throughput (p50)" rows={charts.throughput} providers={charts.providers} unit=" tok/s" axis={axis} />
        <Chart title="Availability" rows={charts.availability} providers={charts.providers} unit="%" axis={axis} />
      </div>
    </>
  );
}
