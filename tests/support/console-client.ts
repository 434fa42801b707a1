/**
 * A browser-like client for the console over HTTP: keeps cookies, sends Origin on
 * mutations, and signs in through next-auth's real credentials flow.
 */
export class ConsoleClient {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async fetch(
    path: string,
    init: { method?: string; json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const method = init.method ?? (init.json !== undefined || init.form ? "POST" : "GET");
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    if (method !== "GET" && !("origin" in headers)) headers.origin = this.baseUrl;
    let body: string | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  signUp(email: string, password: string, name?: string): Promise<Response> {
    return this.fetch("/api/console/signup", { json: { email, password, name } });
  }

  /** next-auth's credentials flow; resolves to the error code/message next-auth reports, or null on success. */
  async signIn(email: string, password: string): Promise<string | null> {
    const { csrfToken } = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await this.fetch("/api/auth/callback/credentials", {
      form: { csrfToken, email, password, json: "true", callbackUrl: `${this.baseUrl}/dashboard` },
    });
    const { url } = (await response.json()) as { url: string };
    const error = new URL(url).searchParams.get("error");
    return error ?? (this.hasSession() ? null : "no session cookie");
  }

  /** The cookies this client holds, as a Cookie header: a copy of the session, as a thief would have it. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** next-auth's sign-out as the console's button does it (CSRF token, then POST). */
  async signOut(): Promise<Response> {
    const { csrfToken } = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    return this.fetch("/api/auth/signout", { form: { csrfToken, json: "true", callbackUrl: `${this.baseUrl}/login` } });
  }

  hasSession(): boolean {
    return this.sessionCookie() !== undefined;
  }

  /** next-auth's session cookie as this client holds it (its name depends on http/https). */
  sessionCookie(): { name: string; value: string } | undefined {
    const entry = [...this.cookies].find(([name]) => name.endsWith("next-auth.session-token"));
    return entry && { name: entry[0], value: entry[1] };
  }
}
