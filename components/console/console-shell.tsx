"use client";
/** The console frame: a sidebar (a drawer on phones), the signed-in user and sign-out. */
import {
  Activity,
  BarChart3,
  BookOpen,
  Boxes,
  Building2,
  CreditCard,
  Gauge,
  KeyRound,
  LayoutDashboard,
  Menu,
  MessageSquare,
  ScrollText,
  Server,
  ServerCog,
  Settings,
  Shield,
  SlidersHorizontal,
  Users,
  X,
} from "lucide-react";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { ThemeToggle } from "@/components/theme-toggle";
import { AccountSwitcher, accountLabel, type AccountChoice } from "./account-switcher";

const NAV = [
  { href: "/dashboard", label: "Dashboard", icon: LayoutDashboard },
  { href: "/models", label: "Models", icon: Boxes },
  { href: "/providers", label: "Providers", icon: Server },
  { href: "/playground", label: "Playground", icon: MessageSquare },
  { href: "/keys", label: "API Keys", icon: KeyRound },
  { href: "/activity", label: "Activity", icon: Activity },
  { href: "/usage", label: "Usage", icon: BarChart3 },
  { href: "/billing", label: "Billing", icon: CreditCard },
  { href: "/organization", label: "Organization", icon: Building2 },
  { href: "/settings", label: "Settings", icon: Settings },
  { href: "/docs", label: "API docs", icon: BookOpen },
];
const ADMIN = [
  { href: "/admin", label: "Admin", icon: Shield },
  { href: "/admin/models", label: "Manage models", icon: SlidersHorizontal },
  { href: "/admin/providers", label: "Provider setup", icon: ServerCog },
  { href: "/admin/users", label: "Users", icon: Users },
  { href: "/admin/rate-limits", label: "Rate limits", icon: Gauge },
  { href: "/admin/audit", label: "Audit log", icon: ScrollText },
];

/** `account`: the account the person acts on and the ones they may switch to (their own first). */
export function ConsoleShell({
  user,
  account,
  children,
}: {
  user: { email: string; name: string | null; role: "admin" | "member" };
  account: { active: AccountChoice; choices: AccountChoice[] };
  children: ReactNode;
}) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const items = user.role === "admin" ? [...NAV, ...ADMIN] : NAV;

  const nav = (
    <nav aria-label="Console" className="flex flex-1 flex-col gap-0.5 p-3">
      {items.map(({ href, label, icon: Icon }) => {
        // The most specific item wins: /admin/providers is not also "Admin".
        const active =
          (pathname === href || pathname.startsWith(`${href}/`)) && !items.some((other) => other.href.length > href.length && pathname.startsWith(other.href));
        return (
          <Link
            key={href}
            href={href}
            onClick={() => setOpen(false)}
            aria-current={active ? "page" : undefined}
            className={`flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm ${active ? "bg-teal-50 font-medium text-teal-800 dark:bg-teal-950 dark:text-teal-200" : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
          >
            <Icon aria-hidden className="size-4" />
            {label}
          </Link>
        );
      })}
    </nav>
  );

  const accountPanel = (
    <div className="border-t border-zinc-200 p-3 text-sm dark:border-zinc-800">
      <p className="truncate font-medium" title={user.email}>
        {user.name ?? user.email}
      </p>
      <p className="truncate text-xs text-zinc-500">
        {user.name ? `${user.email} · ` : ""}
        {user.role}
      </p>
      <div className="mt-2">
        <AccountSwitcher active={account.active} accounts={account.choices} />
      </div>
      <div className="mt-2 flex items-center justify-between">
        <button
          type="button"
          onClick={() => signOut({ callbackUrl: "/login" })}
          className="text-sm font-medium text-teal-700 hover:underline dark:text-teal-400"
        >
          Sign out
        </button>
        <ThemeToggle />
      </div>
    </div>
  );

  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 hidden h-screen w-60 shrink-0 flex-col border-r border-zinc-200 bg-zinc-50 md:flex dark:border-zinc-800 dark:bg-zinc-900">
        <Brand />
        {nav}
        {accountPanel}
      </aside>
      {open ? (
        <div className="fixed inset-0 z-40 md:hidden" role="dialog" aria-modal="true" aria-label="Menu">
          <button type="button" aria-label="Close menu" className="absolute inset-0 bg-black/40" onClick={() => setOpen(false)} />
          <aside className="relative flex h-full w-64 flex-col bg-zinc-50 dark:bg-zinc-900">
            <div className="flex items-center justify-between pr-2">
              <Brand />
              <button type="button" aria-label="Close menu" onClick={() => setOpen(false)} className="rounded-md p-2 hover:bg-zinc-200 dark:hover:bg-zinc-800">
                <X aria-hidden className="size-4" />
              </button>
            </div>
            {nav}
            {accountPanel}
          </aside>
        </div>
      ) : null}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2 md:hidden dark:border-zinc-800">
          <button type="button" aria-label="Open menu" onClick={() => setOpen(true)} className="rounded-md p-2 hover:bg-zinc-100 dark:hover:bg-zinc-800">
            <Menu aria-hidden className="size-5" />
          </button>
          <span className="font-semibold">Switchyard</span>
          <span className="ml-auto truncate text-xs text-zinc-500" title="Active account">
            {accountLabel(account.active)}
          </span>
        </header>
        <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-8">{children}</main>
      </div>
    </div>
  );
}

function Brand() {
  return (
    <Link href="/" className="flex items-center gap-2 px-5 py-4 font-semibold">
      {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG needs no optimisation */}
      <img src="/favicon.svg" alt="" width={22} height={22} />
      Switchyard
    </Link>
  );
}
