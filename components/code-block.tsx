/** A labelled code sample that scrolls inside its box (min-w-0: a long line never widens a grid or flex parent past the page). */
export function CodeBlock({ label, code }: { label: string; code: string }) {
  return (
    <figure className="min-w-0 max-w-full overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
      <figcaption className="border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 text-xs font-medium text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
        {label}
      </figcaption>
      <pre className="overflow-x-auto bg-zinc-950 p-4 text-[13px] leading-relaxed text-zinc-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
