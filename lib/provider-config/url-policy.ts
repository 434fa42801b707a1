/**
 * Where an admin-entered provider may point (SSRF protection). A base URL must be
 * http(s) without embedded credentials, and unless ALLOW_PRIVATE_UPSTREAMS=true its
 * host must be a public unicast address: loopback, private, link-local, unique-local,
 * CGNAT, multicast, reserved and cloud metadata addresses are refused, IPv4-mapped and
 * NAT64 IPv6 forms included, and a host name is refused when any address it resolves
 * to is. The same address check runs again at connection time (the transport's lookup
 * hook), so a name that changes its answer after the save (DNS rebinding) is still
 * refused. Pure apart from the injected resolver.
 */
import ipaddr from "ipaddr.js";

export type HostResolver = (hostname: string) => Promise<string[]>;

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

const METADATA_ADDRESSES = new Set(["169.254.169.254", "fd00:ec2::254", "100.100.100.200"]);
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata"]);

const RANGE_NAMES: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  linkLocal: "a link-local address",
  uniqueLocal: "a private (unique local) address",
  carrierGradeNat: "a shared (carrier-grade NAT) address",
  unspecified: "an unspecified address",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
  reserved: "a reserved address",
  rfc6052: "a NAT64 address that can reach private IPv4 addresses",
  "6to4": "a 6to4 address that can reach private IPv4 addresses",
  teredo: "a Teredo address",
};

/** Why `address` is not a public destination, or null when it is. */
export function blockedAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return "not an IP address";
  // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it names.
  const ip = ipaddr.process(address);
  if (METADATA_ADDRESSES.has(ip.toNormalizedString()) || METADATA_ADDRESSES.has(ip.toString())) return "a cloud metadata address";
  const range = ip.range();
  if (range === "unicast") {
    // ::a.b.c.d (deprecated IPv4-compatible form) is "unicast" to ipaddr.js but names an IPv4 host.
    return ip.kind() === "ipv6" && (ip as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0) ? "an IPv4-compatible IPv6 address" : null;
  }
  return RANGE_NAMES[range] ?? `a special-purpose address (${range})`;
}

function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/** Syntax only: http(s), a host, no credentials, query or fragment. */
export function checkUrlShape(raw: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "Enter a full URL, like https://api.example.com/v1" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, message: "The base URL must start with http:// or https://" };
  if (!url.hostname) return { ok: false, message: "The base URL needs a host" };
  if (url.username || url.password) return { ok: false, message: "Put the credential in the credential field, not in the URL" };
  if (url.search || url.hash || raw.includes("?") || raw.includes("#")) return { ok: false, message: "A base URL cannot have a query string or fragment" };
  return { ok: true, url: url.toString().replace(/\/+$/, "") };
}

/** The whole policy, at save time. */
export async function checkUpstreamUrl(raw: string, options: { allowPrivate: boolean; resolve: HostResolver }): Promise<UrlCheck> {
  const shape = checkUrlShape(raw);
  if (!shape.ok || options.allowPrivate) return shape;
  const host = hostOf(new URL(shape.url)).toLowerCase().replace(/\.$/, "");
  const allowHint = " (set ALLOW_PRIVATE_UPSTREAMS=true to allow private upstreams such as a self-hosted vLLM)";
  if (host === "localhost" || host.endsWith(".localhost")) return { ok: false, message: `${host} is a loopback address${allowHint}` };
  if (METADATA_NAMES.has(host)) return { ok: false, message: `${host} is a cloud metadata address` };
  if (ipaddr.isValid(host)) {
    const reason = blockedAddressReason(host);
    return reason ? { ok: false, message: `${host} is ${reason}${allowHint}` } : shape;
  }
  let addresses: string[];
  try {
    addresses = await options.resolve(host);
  } catch {
    return { ok: false, message: `The host name ${host} could not be resolved` };
  }
  if (addresses.length === 0) return { ok: false, message: `The host name ${host} could not be resolved` };
  for (const address of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) return { ok: false, message: `${host} resolves to ${address}, ${reason}${allowHint}` };
  }
  return shape;
}

/** ALLOW_PRIVATE_UPSTREAMS=true turns the address checks off (syntax is still checked). */
export function privateUpstreamsAllowed(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.ALLOW_PRIVATE_UPSTREAMS?.trim().toLowerCase() === "true";
}
