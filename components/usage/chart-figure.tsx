import { BarChart3 } from "lucide-react";
import { useId, type ReactNode } from "react";

/**
 * A chart's frame: a figure named by its caption (so assistive tech and tests find it by
 * name), a text summary for screen readers, and an empty state instead of blank axes.
 */
export function ChartFigure({
  title,
  description,
  summary,
  empty,
  emptyText = "No usage in this range yet",
  children,
}: {
  title: string;
  description?: string;
  summary: string;
  empty: boolean;
  emptyText?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <figure aria-labelledby={`${id}-title`} className="min-w-0 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <figcaption className="mb-3">
        <span id={`${id}-title`} className="text-sm font-medium">
          {title}
        </span>
        {description ? <span className="block text-xs text-zinc-500">{description}</span> : null}
      </figcaption>
      {empty ? (
        <div className="flex h-56 flex-col items-center justify-center gap-2 text-sm text-zinc-500">
          <BarChart3 aria-hidden className="size-6 text-zinc-400" />
          {emptyText}
        </div>
      ) : (
        <>
          <p className="sr-only">{summary}</p>
          {/* Recharts' accessibility layer lets keyboard users step through the bars with the arrow keys. */}
          <div className="text-zinc-500">{children}</div>
        </>
      )}
    </figure>
  );
}
