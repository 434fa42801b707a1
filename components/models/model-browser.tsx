"use client";
/**
 * The /models list. The URL is the state: search, filters and sort are search params,
 * changed through the native history API (Next keeps useSearchParams in step with it),
 * so there is no server round trip per keystroke and a reload shows the same list.
 */
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { startTransition, useCallback, useMemo, useOptimistic } from "react";
import type { ModelRow } from "@/lib/public-pages/model-browser";
import {
  browseModels,
  DEFAULT_MODEL_SORT,
  isFiltered,
  modelBrowserFacets,
  parseModelBrowserQuery,
  withModelBrowserParam,
} from "@/lib/public-pages/model-browser-query";
import { ModelFilters } from "./model-filters";
import { ModelResults } from "./model-results";
import { formatQuantity } from "@/lib/format/quantity";

export function ModelBrowser({ rows }: { rows: ModelRow[] }) {
  // Next applies a history change in a transition; until it lands, the page shows the new
  // params optimistically, so a checkbox or select never flips back for a frame.
  const urlParams = useSearchParams();
  const [searchParams, showParams] = useOptimistic<URLSearchParams>(urlParams);
  const facets = useMemo(() => modelBrowserFacets(rows), [rows]);
  const query = useMemo(() => parseModelBrowserQuery(searchParams, facets), [searchParams, facets]);
  const results = useMemo(() => browseModels(rows, query), [rows, query]);

  // Each change starts from the URL as it is now, not as of the last render, so two quick
  // changes don't undo each other.
  const setParam = useCallback(
    (name: string, value: string) => {
      const next = withModelBrowserParam(new URLSearchParams(window.location.search), name, value);
      startTransition(() => {
        showParams(next);
        window.history.replaceState(null, "", next.size ? `?${next}` : window.location.pathname);
      });
    },
    [showParams],
  );

  const filtered = isFiltered(query);
  const clearHref = query.sort === DEFAULT_MODEL_SORT ? "/models" : `/models?sort=${query.sort}`;

  return (
    <>
      <ModelFilters
        query={query}
        rawQ={searchParams.get("q") ?? ""}
        rawMinPrice={searchParams.get("minPrice") ?? ""}
        rawMaxPrice={searchParams.get("maxPrice") ?? ""}
        facets={facets}
        setParam={setParam}
      />
      <div className="mb-3 flex items-center justify-between gap-3 text-sm text-zinc-600 dark:text-zinc-400">
        <p aria-live="polite">
          {filtered
            ? `${results.length} of ${formatQuantity(rows.length, "model")} ${results.length === 1 ? "matches" : "match"}`
            : formatQuantity(rows.length, "model")}
        </p>
        {filtered && results.length > 0 ? (
          <Link href={clearHref} scroll={false} className="font-medium text-teal-700 hover:underline dark:text-teal-400">
            Clear filters
          </Link>
        ) : null}
      </div>
      {results.length > 0 ? (
        <ModelResults rows={results} />
      ) : (
        <div className="rounded-lg border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          <p>No model matches these filters.</p>
          <Link href={clearHref} scroll={false} className="mt-2 inline-block font-medium text-teal-700 hover:underline dark:text-teal-400">
            Clear filters
          </Link>
        </div>
      )}
    </>
  );
}
