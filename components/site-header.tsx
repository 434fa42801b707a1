import Link from "next/link";

export function SiteHeader() {
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3 text-sm">
        <Link href="/" className="flex items-center gap-2 font-semibold">
          {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG needs no optimisation */}
          <img src="/favicon.svg" alt="" width={22} height={22} />
          Switchyard
        </Link>
        <Link href="/models" className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white">
          Models
        </Link>
        <Link href="/docs" className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white">
          API docs
        </Link>
        <Link href="/login" className="ml-auto rounded-md bg-teal-700 px-3 py-1.5 font-medium text-white hover:bg-teal-800">
          Sign in
        </Link>
      </nav>
    </header>
  );
}
