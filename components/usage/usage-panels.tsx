"use client";
/** The three tabs of the Usage page. Render only: every figure comes prepared from lib/activity/usage-charts.ts. */
import type { RankedValue, UsageCharts } from "@/lib/activity/usage-charts";
import { formatInteger, formatMs, formatPercent, formatThroughput, formatTokens, formatUsd } from "@/lib/activity/usage-format";
import { BreakdownTable } from "./breakdown-table";
import { RankedBarChart } from "./ranked-bar-chart";
import { StatCards } from "./stat-cards";
import { TimeSeriesChart, type ChartTime } from "./time-series-chart";
import { formatQuantity } from "@/lib/format/quantity";
import { Money } from "@/components/ui/money";

const ChartGrid = ({ children }: { children: React.ReactNode }) => <div className="mb-6 grid gap-4 lg:grid-cols-2">{children}</div>;

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="mb-6">
      <h2 className="mb-3 text-base font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export function UsagePanel({ charts, time }: { charts: UsageCharts; time: ChartTime }) {
  const t = charts.totals;
  const u = charts.usage;
  return (
    <>
      <StatCards
        stats={[
          { label: "Total tokens", value: formatTokens(t.totalTokens), detail: formatQuantity(t.totalTokens, "token") },
          {
            label: "Input tokens",
            value: formatTokens(t.promptTokens),
            detail: t.cacheReadTokens > 0 ? `${formatTokens(t.cacheReadTokens)} from cache` : "prompt, cache included",
          },
          {
            label: "Output tokens",
            value: formatTokens(t.completionTokens),
            detail: t.reasoningTokens > 0 ? `${formatTokens(t.reasoningTokens)} reasoning` : "completion",
          },
          {
            label: "Requests",
            value: formatInteger(t.requests),
            detail: t.requests > 0 ? `${formatInteger(t.errors)} failed (${formatPercent(t.errors / t.requests)})` : undefined,
          },
          {
            label: "Cost",
            value: <Money amount={t.costUsd} />,
            detail:
              t.requests > 0
                ? `${formatUsd(t.costNanoUsd / t.requests)} per request${t.totalTokens > 0 ? ` · ${formatUsd((t.costNanoUsd / t.totalTokens) * 1e6)} per 1M tokens` : ""}`
                : undefined,
          },
        ]}
      />
      <ChartGrid>
        <TimeSeriesChart title="Tokens by model" data={u.tokensByModel} kind="tokens" time={time} />
        <TimeSeriesChart title="Cost by model" data={u.costByModel} kind="usd" time={time} />
        <TimeSeriesChart title="Requests by model" data={u.requestsByModel} kind="requests" time={time} />
        <TimeSeriesChart
          title="Tokens by type"
          description="Input excludes cache reads and writes; output excludes reasoning."
          data={u.tokensByType}
          kind="tokens"
          time={time}
        />
        <TimeSeriesChart title="Tokens by API key" data={u.tokensByKey} kind="tokens" time={time} />
        <TimeSeriesChart title="Cost by API key" data={u.costByKey} kind="usd" time={time} />
        {u.costByMember ? <TimeSeriesChart title="Cost by member" data={u.costByMember} kind="usd" time={time} /> : null}
      </ChartGrid>
      {u.models.length > 0 ? (
        <Section title="By model">
          <BreakdownTable caption="Usage by model" dimension="Model" rows={u.models} />
        </Section>
      ) : null}
      {u.members && u.members.length > 0 ? (
        <Section title="By member">
          <BreakdownTable caption="Usage by member" dimension="Member" rows={u.members} />
        </Section>
      ) : null}
      {u.keys.length > 0 ? (
        <Section title="By API key">
          <BreakdownTable caption="Usage by API key" dimension="API key" rows={u.keys} />
        </Section>
      ) : null}
    </>
  );
}

export function ProvidersPanel({ charts, time }: { charts: UsageCharts; time: ChartTime }) {
  const p = charts.providers;
  return (
    <>
      <StatCards
        columns={4}
        stats={[
          { label: "Primary provider", value: p.primary ?? "—", detail: "served the most requests" },
          { label: "Providers used", value: formatInteger(p.count) },
          { label: "Attempt success", value: p.successRate !== null ? formatPercent(p.successRate) : "—", detail: "of every attempt, failovers included" },
          { label: "Fastest provider", value: p.fastest?.label ?? "—", detail: p.fastest ? `${formatMs(p.fastest.value)} to first token` : undefined },
        ]}
      />
      <ChartGrid>
        <TimeSeriesChart title="Tokens by provider" data={p.tokensByProvider} kind="tokens" time={time} />
        <TimeSeriesChart title="Requests by provider" data={p.requestsByProvider} kind="requests" time={time} />
        <TimeSeriesChart title="Cost by provider" data={p.costByProvider} kind="usd" time={time} />
      </ChartGrid>
      {p.rows.length > 0 ? (
        <Section title="Provider details">
          <BreakdownTable caption="Usage by provider" dimension="Provider" rows={p.rows} />
        </Section>
      ) : null}
    </>
  );
}

const ends = (values: RankedValue[]) => ({ best: values[0] ?? null, worst: values.length > 1 ? values.at(-1)! : null });

export function PerformancePanel({ charts }: { charts: UsageCharts }) {
  const t = charts.totals;
  const perf = charts.performance;
  const ttft = ends(perf.ttftByModel);
  const throughput = ends(perf.throughputByModel);
  const noMeasure = "No measured calls in this range yet";
  return (
    <>
      <StatCards
        stats={[
          { label: "Average TTFT", value: t.avgTtftMs !== null ? formatMs(t.avgTtftMs) : "—", detail: "time to first token" },
          { label: "Average throughput", value: t.avgThroughput !== null ? formatThroughput(t.avgThroughput) : "—", detail: "output tokens per second" },
          { label: "Average latency", value: t.avgLatencyMs !== null ? formatMs(t.avgLatencyMs) : "—", detail: "whole request" },
          {
            label: "Fastest model",
            value: ttft.best?.label ?? "—",
            title: ttft.best?.label,
            detail: ttft.best ? `${formatMs(ttft.best.value)}${ttft.worst ? ` · slowest ${ttft.worst.label} ${formatMs(ttft.worst.value)}` : ""}` : undefined,
          },
          {
            label: "Highest throughput",
            value: throughput.best?.label ?? "—",
            title: throughput.best?.label,
            detail: throughput.best
              ? `${formatThroughput(throughput.best.value)}${throughput.worst ? ` · lowest ${throughput.worst.label} ${formatThroughput(throughput.worst.value)}` : ""}`
              : undefined,
          },
        ]}
      />
      <ChartGrid>
        <RankedBarChart title="Time to first token by model" description="Average, lower is better" data={perf.ttftByModel} kind="ms" emptyText={noMeasure} />
        <RankedBarChart
          title="Throughput by model"
          description="Average output tokens per second, higher is better"
          data={perf.throughputByModel}
          kind="throughput"
          colourIndex={1}
          emptyText={noMeasure}
        />
        <RankedBarChart
          title="Time to first token by provider"
          description="Average, lower is better"
          data={perf.ttftByProvider}
          kind="ms"
          emptyText={noMeasure}
        />
        <RankedBarChart
          title="Throughput by provider"
          description="Average output tokens per second, higher is better"
          data={perf.throughputByProvider}
          kind="throughput"
          colourIndex={1}
          emptyText={noMeasure}
        />
      </ChartGrid>
    </>
  );
}
