"use client";
/** A stacked bar chart over time for one prepared series set (lib/activity/usage-charts.ts). */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Granularity } from "@/lib/activity/usage-buckets";
import type { TimeSeriesChart as TimeSeriesData } from "@/lib/activity/usage-charts";
import { formatBucketLabel, formatValue, type ValueKind } from "@/lib/activity/usage-format";
import { ChartFigure } from "./chart-figure";
import { seriesColour } from "./chart-palette";
import { ChartTooltip } from "./chart-tooltip";

export type ChartTime = { granularity: Granularity; timeZone: string };

const GRANULARITY_WORD: Record<Granularity, string> = { hour: "hour", day: "day", month: "month" };

export function TimeSeriesChart({
  title,
  description,
  data,
  kind,
  time,
  height = 240,
  legend = true,
  emptyText,
}: {
  title: string;
  description?: string;
  data: TimeSeriesData;
  kind: ValueKind;
  time: ChartTime;
  height?: number;
  legend?: boolean;
  emptyText?: string;
}) {
  const label = (t: string | number) => formatBucketLabel(Number(t), time.granularity, time.timeZone);
  const first = data.points[0]?.t;
  const last = data.points.at(-1)?.t;
  const summary =
    first !== undefined && last !== undefined
      ? `${title}, per ${GRANULARITY_WORD[time.granularity]} from ${label(first)} to ${label(last)}. ${data.series.map((s) => `${s.label}: ${formatValue(kind, s.total)}`).join("; ")}.`
      : title;
  return (
    <ChartFigure title={title} description={description} summary={summary} empty={data.series.length === 0} emptyText={emptyText}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data.points} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.15} />
          <XAxis dataKey="t" tickFormatter={label} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" strokeOpacity={0.3} minTickGap={16} />
          <YAxis
            tickFormatter={(v: number) => formatValue(kind, v, { axis: true })}
            tick={{ fill: "currentColor", fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.3}
            width="auto"
            allowDecimals={kind !== "requests"}
          />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.06 }}
            content={(props) => <ChartTooltip {...props} formatLabel={label} formatValue={(v) => formatValue(kind, v)} showTotal />}
          />
          {legend ? (
            // Series order (largest first, Other last) rather than Recharts' alphabetical default; text in the theme's colour.
            <Legend
              iconType="square"
              iconSize={8}
              itemSorter={null}
              wrapperStyle={{ fontSize: 12 }}
              formatter={(value: string) => <span className="text-zinc-700 dark:text-zinc-300">{value}</span>}
            />
          ) : null}
          {data.series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="stack" fill={seriesColour(s.colour)} isAnimationActive={false} maxBarSize={48} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
