"use client";
/** Horizontal bars for one value per model or provider (TTFT, throughput), already ranked by the preparer. */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RankedValue } from "@/lib/activity/usage-charts";
import { formatValue, type ValueKind } from "@/lib/activity/usage-format";
import { ChartFigure } from "./chart-figure";
import { seriesColour } from "./chart-palette";
import { ChartTooltip } from "./chart-tooltip";

export function RankedBarChart({
  title,
  description,
  data,
  kind,
  colourIndex = 0,
  emptyText,
}: {
  title: string;
  description?: string;
  data: RankedValue[];
  kind: ValueKind;
  colourIndex?: number;
  emptyText?: string;
}) {
  const summary = `${title}. ${data.map((d) => `${d.label}: ${formatValue(kind, d.value)}`).join("; ")}.`;
  const colour = seriesColour(colourIndex);
  return (
    <ChartFigure title={title} description={description} summary={summary} empty={data.length === 0} emptyText={emptyText}>
      <ResponsiveContainer width="100%" height={Math.max(120, data.length * 30 + 40)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid horizontal={false} stroke="currentColor" strokeOpacity={0.15} />
          <XAxis
            type="number"
            tickFormatter={(v: number) => formatValue(kind, v, { axis: true })}
            tick={{ fill: "currentColor", fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.3}
          />
          <YAxis type="category" dataKey="label" width={190} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" strokeOpacity={0.3} />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.06 }}
            content={(props) => <ChartTooltip {...props} formatLabel={String} formatValue={(v) => formatValue(kind, v)} />}
          />
          <Bar dataKey="value" name={title} fill={colour} isAnimationActive={false} maxBarSize={20} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
