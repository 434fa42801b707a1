"use client";
/**
 * The activity page's body. The URL is the state: filters, the `q` lookup and the open
 * detail (`id`) are search params, so a view can be bookmarked, shared and reloaded.
 */
import { Download } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { Button } from "@/components/ui/button";
import { ActivityColumnChooser } from "./activity-column-chooser";
import { useActivityColumns } from "./activity-columns";
import { ActivityDetailPanel } from "./activity-detail-panel";
import { ActivityFilterBar } from "./activity-filter-bar";
import { ActivityTable } from "./activity-table";
import { useActivityOptions, useActivityPages } from "./use-activity";

/** `isAdmin`: the instance admin's view of every account; `isOrganizationAdmin`: an organization admin's view of every member. */
export function ActivityExplorer({ isAdmin, isOrganizationAdmin = false }: { isAdmin: boolean; isOrganizationAdmin?: boolean }) {
  const searchParams = useSearchParams();
  const params = useMemo(() => new URLSearchParams(searchParams.toString()), [searchParams]);

  // The native history API (Next keeps useSearchParams in step with it): no server round
  // trip, and each change starts from the URL as it is now, not as of the last render,
  // so two quick changes don't undo each other.
  const set = useCallback((changes: Record<string, string>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    window.history.replaceState(null, "", next.size ? `?${next}` : window.location.pathname);
  }, []);

  const filterQuery = useMemo(() => {
    const filters = new URLSearchParams(params.toString());
    filters.delete("id");
    return filters.toString();
  }, [params]);
  const exportQuery = useMemo(() => {
    const filters = new URLSearchParams(filterQuery);
    filters.delete("q");
    return filters.toString();
  }, [filterQuery]);

  const pages = useActivityPages(filterQuery);
  const options = useActivityOptions(params.get("account") ?? "");
  const rows = pages.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = [...params.keys()].some((name) => name !== "id");
  const columns = useActivityColumns();

  return (
    <>
      <ActivityFilterBar
        key={params.get("q") ?? ""}
        params={params}
        set={set}
        options={options.data}
        isAdmin={isAdmin}
        isOrganizationAdmin={isOrganizationAdmin}
      />
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
          {pages.isPending
            ? "Loading…"
            : `${rows.length}${pages.hasNextPage ? "+" : ""} call${rows.length === 1 ? "" : "s"}${filtered ? " match these filters" : ""}`}
        </p>
        <div className="flex gap-2">
          <ActivityColumnChooser shown={columns.shown} toggle={columns.toggle} reset={columns.reset} isAdmin={isAdmin || isOrganizationAdmin} />
          <a
            href={`/api/console/activity/export${exportQuery ? `?${exportQuery}` : ""}`}
            download
            className="inline-flex items-center gap-1.5 rounded-md border border-zinc-300 px-3 py-2 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            <Download aria-hidden className="size-4" />
            Export CSV
          </a>
        </div>
      </div>
      {pages.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
          {pages.error.message}
        </p>
      ) : null}
      {!pages.isPending && rows.length === 0 && !pages.error ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {params.get("q")
            ? `No call with the ID ${params.get("q")} in your activity.`
            : filtered
              ? "No calls match these filters."
              : "No calls yet. Calls made with your API keys appear here within a second."}
        </p>
      ) : null}
      {rows.length > 0 ? (
        <ActivityTable
          rows={rows}
          columns={columns.ordered}
          whoColumn={isAdmin && !params.get("account") ? "account" : isOrganizationAdmin && !params.get("member") ? "member" : null}
          onOpen={(id) => set({ id })}
        />
      ) : null}
      {pages.hasNextPage ? (
        <Button variant="secondary" className="mt-3" disabled={pages.isFetchingNextPage} onClick={() => pages.fetchNextPage()}>
          {pages.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
      <ActivityDetailPanel id={params.get("id")} onClose={() => set({ id: "" })} />
    </>
  );
}
