import { describe, expect, it } from "vitest";
import { blockedAddressReason, checkUpstreamUrl } from "./url-policy.ts";

const DNS: Record<string, string[]> = {
  "api.example.com": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
  "intranet.example.com": ["10.0.0.5"],
  "sneaky.example.com": ["93.184.216.34", "::ffff:127.0.0.1"],
};
const resolve = async (host: string) => {
  const found = DNS[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return found;
};
const check = (url: string, allowPrivate = false) => checkUpstreamUrl(url, { allowPrivate, resolve });

describe("blockedAddressReason", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "metadata"],
    ["169.254.1.1", "link-local"],
    ["fd00:ec2::254", "metadata"],
    ["fe80::1", "link-local"],
    ["fc00::1", "unique local"],
    ["100.100.100.200", "metadata"],
    ["100.64.0.1", "carrier-grade"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["::7f00:1", "IPv4-compatible"],
    ["64:ff9b::a00:1", "NAT64"],
    ["224.0.0.1", "multicast"],
  ])("refuses %s", (address, words) => {
    expect(blockedAddressReason(address)).toContain(words);
  });

  it.each(["8.8.8.8", "93.184.216.34", "2606:4700::1111"])("allows the public address %s", (address) => {
    expect(blockedAddressReason(address)).toBeNull();
  });
});

describe("checkUpstreamUrl", () => {
  it("accepts public https and http URLs and trims a trailing slash", async () => {
    expect(await check("https://api.example.com/v1/")).toEqual({ ok: true, url: "https://api.example.com/v1" });
    expect(await check("http://93.184.216.34:8080/v1")).toEqual({ ok: true, url: "http://93.184.216.34:8080/v1" });
  });

  it.each([
    ["http://127.0.0.1:8000/v1", /127\.0\.0\.1 is a loopback address/],
    ["http://[::1]:8000/v1", /::1 is a loopback address/],
    ["http://[::ffff:127.0.0.1]/v1", /loopback/],
    ["http://169.254.169.254/latest/meta-data", /cloud metadata/],
    ["http://[fd00:ec2::254]/", /cloud metadata/],
    ["http://metadata.google.internal/computeMetadata/v1", /cloud metadata/],
    ["http://10.20.30.40/v1", /private address/],
    ["http://2130706433/v1", /127\.0\.0\.1 is a loopback/],
    ["http://0x7f.1/v1", /loopback/],
    ["http://localhost:11434/v1", /localhost is a loopback address/],
    ["http://ollama.localhost/v1", /loopback/],
    ["https://intranet.example.com/v1", /intranet\.example\.com resolves to 10\.0\.0\.5, a private address/],
    ["https://sneaky.example.com/v1", /resolves to ::ffff:127\.0\.0\.1, a loopback address/],
    ["https://nowhere.example.com/v1", /could not be resolved/],
  ])("refuses %s when private upstreams are not allowed", async (url, message) => {
    const result = await check(url);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });

  it("allows private addresses with ALLOW_PRIVATE_UPSTREAMS, without resolving anything", async () => {
    const noDns = async () => {
      throw new Error("must not resolve");
    };
    expect(await checkUpstreamUrl("http://127.0.0.1:8000/v1", { allowPrivate: true, resolve: noDns })).toEqual({ ok: true, url: "http://127.0.0.1:8000/v1" });
    expect((await checkUpstreamUrl("http://intranet.example.com/v1", { allowPrivate: true, resolve: noDns })).ok).toBe(true);
  });

  it.each([
    ["not a url", /full URL/],
    ["ftp://api.example.com/v1", /http:\/\/ or https:\/\//],
    ["file:///etc/passwd", /http:\/\/ or https:\/\//],
    ["javascript:alert(1)", /http:\/\/ or https:\/\//],
    ["https://user:sk-secret@api.example.com/v1", /credential field/],
    ["https://api.example.com/v1?key=x", /query string/],
    ["https://api.example.com/v1#x", /fragment/],
  ])("refuses the malformed %s even when private upstreams are allowed", async (url, message) => {
    const result = await check(url, true);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });
});
