/**
 * Which activity columns are shown. Time and the Details link always are; the rest can be
 * switched in the column chooser, and the choice is kept in localStorage. The defaults
 * (status, finish reason, key and the link among them) fit beside the sidebar at 1280 px.
 */
import { useCallback, useSyncExternalStore } from "react";

export const OPTIONAL_COLUMNS = [
  { id: "account", label: "Account", adminOnly: true },
  { id: "model", label: "Model" },
  { id: "provider", label: "Provider" },
  { id: "protocol", label: "Protocol" },
  { id: "input", label: "Input" },
  { id: "output", label: "Output" },
  { id: "cost", label: "Cost" },
  { id: "latency", label: "Latency" },
  { id: "ttft", label: "TTFT" },
  { id: "throughput", label: "Throughput" },
  { id: "finish", label: "Finish" },
  { id: "status", label: "Status" },
  { id: "key", label: "API key" },
] as const;

export type ActivityColumnId = (typeof OPTIONAL_COLUMNS)[number]["id"];

export const DEFAULT_COLUMNS: readonly ActivityColumnId[] = ["account", "model", "provider", "cost", "latency", "finish", "status", "key"];

const STORAGE_KEY = "switchyard.activity.columns";
const IDS = new Set<string>(OPTIONAL_COLUMNS.map((column) => column.id));

/** The stored choice, or the defaults when there is none or it is not a list of known columns. */
export function parseColumnChoice(stored: string | null): readonly ActivityColumnId[] {
  if (stored === null) return DEFAULT_COLUMNS;
  try {
    const value: unknown = JSON.parse(stored);
    if (!Array.isArray(value) || !value.every((id) => typeof id === "string")) return DEFAULT_COLUMNS;
    return value.filter((id): id is ActivityColumnId => IDS.has(id));
  } catch {
    return DEFAULT_COLUMNS;
  }
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab changing the choice.
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

const readStored = () => window.localStorage.getItem(STORAGE_KEY);

/** The shown columns (as a set, and in the table's order) and a toggle; the server (and the first paint) render the defaults. */
export function useActivityColumns(): {
  shown: ReadonlySet<ActivityColumnId>;
  ordered: ActivityColumnId[];
  toggle: (id: ActivityColumnId) => void;
  reset: () => void;
} {
  const stored = useSyncExternalStore(subscribe, readStored, () => null);
  const shownList = parseColumnChoice(stored);
  const write = useCallback((value: string | null) => {
    if (value === null) window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, value);
    listeners.forEach((listener) => listener());
  }, []);
  const toggle = useCallback(
    (id: ActivityColumnId) => {
      const current = parseColumnChoice(readStored());
      write(JSON.stringify(current.includes(id) ? current.filter((other) => other !== id) : [...current, id]));
    },
    [write],
  );
  const shown = new Set(shownList);
  return { shown, ordered: OPTIONAL_COLUMNS.map((column) => column.id).filter((id) => shown.has(id)), toggle, reset: () => write(null) };
}
