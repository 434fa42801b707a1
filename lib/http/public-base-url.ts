/**
 * The origin clients use to reach this instance, for copy-paste examples:
 * PUBLIC_BASE_URL when the operator set it, else the request's (proxy-aware) host.
 */
export function publicOrigin(headers: Headers, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env.PUBLIC_BASE_URL?.trim();
  if (configured) return configured.replace(/\/+$/, "");
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host") || "localhost:3000";
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${host}`;
}
