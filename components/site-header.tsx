import { getSessionUser } from "@/lib/auth/session";
import { SiteNav } from "./site-nav";

export async function SiteHeader() {
  const user = await getSessionUser();
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <SiteNav signedIn={user !== null} />
    </header>
  );
}
