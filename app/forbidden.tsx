import Link from "next/link";

/** Rendered with HTTP 403 by forbidden(), e.g. when a member opens an admin page. */
export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md px-4 py-20 text-center">
      <p className="text-sm font-medium text-zinc-500">403</p>
      <h1 className="mt-2 text-2xl font-semibold">You don&apos;t have access to this page</h1>
      <p className="mt-3 text-zinc-600 dark:text-zinc-400">It is for administrators. Ask an admin if you need something changed.</p>
      <Link href="/dashboard" className="mt-6 inline-block rounded-md bg-teal-700 px-4 py-2 font-medium text-white hover:bg-teal-800">
        Back to the dashboard
      </Link>
    </main>
  );
}
