"use client";
/**
 * The public header's navigation: a row of links from the `sm` breakpoint up, a menu
 * button below it. The menu closes on Escape, on a click outside and on navigation.
 */
import { Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { ThemeToggle } from "./theme-toggle";

const LINKS = [
  { href: "/models", label: "Models" },
  { href: "/providers", label: "Providers" },
  { href: "/docs", label: "API docs" },
];

const linkClass = "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white";
const ctaClass = "rounded-md bg-teal-700 px-3 py-1.5 font-medium text-white hover:bg-teal-800";

export function SiteNav({ signedIn }: { signedIn: boolean }) {
  const pathname = usePathname();
  // The menu remembers the page it was opened on, so any navigation closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const cta = signedIn ? { href: "/dashboard", label: "Console" } : { href: "/login", label: "Sign in" };

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpenOn(null);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpenOn(null);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <nav aria-label="Main" className="relative mx-auto flex max-w-6xl items-center gap-6 px-4 py-3 text-sm">
      <Link href="/" className="flex items-center gap-2 font-semibold">
        {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG needs no optimisation */}
        <img src="/favicon.svg" alt="" width={22} height={22} />
        Switchyard
      </Link>
      {LINKS.map((link) => (
        <Link key={link.href} href={link.href} className={`hidden sm:inline ${linkClass}`}>
          {link.label}
        </Link>
      ))}
      <div className="ml-auto flex items-center gap-3">
        <ThemeToggle />
        <Link href={cta.href} className={`hidden sm:inline-block ${ctaClass}`}>
          {cta.label}
        </Link>
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls={menuId}
          aria-label="Menu"
          onClick={() => setOpenOn(open ? null : pathname)}
          className="rounded-md p-1.5 text-zinc-700 hover:bg-zinc-100 sm:hidden dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          {open ? <X aria-hidden className="size-5" /> : <Menu aria-hidden className="size-5" />}
        </button>
      </div>
      <div
        ref={panel}
        id={menuId}
        hidden={!open}
        className="absolute inset-x-0 top-full z-30 border-b border-zinc-200 bg-white px-4 pb-4 shadow-lg sm:hidden dark:border-zinc-800 dark:bg-zinc-950"
      >
        <ul className="flex flex-col gap-1 pt-2">
          {LINKS.map((link) => (
            <li key={link.href}>
              <Link
                href={link.href}
                onClick={() => setOpenOn(null)}
                aria-current={pathname === link.href ? "page" : undefined}
                className={`block rounded-md px-2 py-2 ${linkClass} hover:bg-zinc-100 dark:hover:bg-zinc-900`}
              >
                {link.label}
              </Link>
            </li>
          ))}
          <li className="pt-2">
            <Link href={cta.href} onClick={() => setOpenOn(null)} className={`block text-center ${ctaClass}`}>
              {cta.label}
            </Link>
          </li>
        </ul>
      </div>
    </nav>
  );
}
