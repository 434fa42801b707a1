import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64Cores, redactSecrets, SECRET_PREFIX_LENGTH } from "./redact";

const SECRET = "fake-upstream-secret-credential";
const b64 = (text: string) => Buffer.from(text).toString("base64");
const b64url = (text: string) => Buffer.from(text).toString("base64url");
const percentEveryByte = (text: string) => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");

/** The ways upstreams have been seen to echo a credential back. */
function echoesOf(secret: string): string[] {
  return [
    secret,
    secret.toUpperCase(),
    `${secret.slice(0, SECRET_PREFIX_LENGTH + 2)}...`,
    b64(secret),
    b64url(secret),
    b64(`user:${secret}`),
    b64(`ab:${secret}`),
    b64url(`apikey:${secret}`),
    encodeURIComponent(secret),
    percentEveryByte(secret),
    percentEveryByte(secret).toUpperCase(),
  ];
}

/** What must never survive: the secret in any case, its prefix, and the base64 of it at any alignment. */
function leaks(output: string, secret: string): string[] {
  const lower = output.toLowerCase();
  const found: string[] = [];
  if (lower.includes(secret.slice(0, SECRET_PREFIX_LENGTH).toLowerCase())) found.push("prefix");
  for (const core of base64Cores(secret)) if (output.includes(core)) found.push(`base64 ${core}`);
  for (let i = 0; i + 6 <= output.length; i++) {
    const run = output.slice(i).match(/^[A-Za-z0-9._~%+-]+/)?.[0];
    if (!run?.includes("%")) continue;
    try {
      if (decodeURIComponent(run).toLowerCase().includes(secret.slice(0, SECRET_PREFIX_LENGTH).toLowerCase())) found.push(`percent ${run}`);
    } catch {
      // Not a valid escape sequence: nothing a client could decode either.
    }
  }
  return found;
}

describe("redactSecrets", () => {
  it("keeps an echoed JSON error body valid when a Bearer value sits inside escaped quotes", () => {
    const body = JSON.stringify({ error: { message: `bad header "Authorization: Bearer ${SECRET}"`, type: "invalid_request_error" } });
    const redacted = redactSecrets(body, [SECRET]);
    expect(JSON.parse(redacted)).toEqual({ error: { message: 'bad header "Authorization: Bearer [redacted]"', type: "invalid_request_error" } });
  });

  it("keeps a Bearer value's following backslash in plain text", () => {
    expect(redactSecrets('x \\"Bearer abcdefgh\\" y')).toBe('x \\"Bearer [redacted]\\" y');
  });

  it.each(echoesOf(SECRET))("removes the echo %s from JSON and from plain text", (echo) => {
    const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${echo}. Check it.`, param: null, code: 401 } });
    const json = redactSecrets(body, [SECRET]);
    expect(JSON.parse(json).error).toMatchObject({ message: expect.stringMatching(/^Incorrect API key provided: \[redacted\]/), param: null, code: 401 });
    expect(leaks(json, SECRET)).toEqual([]);
    const text = redactSecrets(`<html>key ${echo} refused</html>`, [SECRET]);
    expect(text).toMatch(/^<html>key \[redacted\]/);
    expect(leaks(text, SECRET)).toEqual([]);
  });

  it("redacts inside keys and nested arrays, leaving other values alone", () => {
    const body = JSON.stringify({ [SECRET]: [1, true, null, { note: `Basic ${b64(`u:${SECRET}`)}` }], ok: "Basic plan" });
    expect(JSON.parse(redactSecrets(body, [SECRET]))).toEqual({ "[redacted]": [1, true, null, { note: "Basic [redacted]" }], ok: "Basic plan" });
  });

  it("finds a percent-encoded secret behind an escape that is not UTF-8 (fast-check's counterexample from CI)", () => {
    const secret = "sBzN.dkGBApxj0t3pvZUp--p.c7h";
    const redacted = redactSecrets(JSON.stringify(`%A0${percentEveryByte(secret).toUpperCase()}`), [secret]);
    expect(JSON.parse(redacted)).toBe("[redacted]");
    expect(leaks(redacted, secret)).toEqual([]);
  });

  it("masks key-shaped strings and Bearer values without knowing the credential", () => {
    expect(redactSecrets("use sk-proj-abcdefghijklmnop or Bearer xyz123")).toBe("use sk-…[redacted] or Bearer [redacted]");
  });

  it("leaves text without secrets as it was, and a cut JSON body as text", () => {
    expect(redactSecrets("upstream melted", [SECRET])).toBe("upstream melted");
    expect(redactSecrets(`{"error":{"message":"${SECRET}`, [SECRET])).toBe('{"error":{"message":"[redacted]');
  });

  const secretArb = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."), minLength: 16, maxLength: 64 });

  /** JSON values whose strings may carry an echo of the secret somewhere inside. */
  const documentArb = (secret: string) => {
    const echo = fc.constantFrom(...echoesOf(secret));
    const text = fc.oneof(
      fc.string(),
      fc.tuple(fc.string(), echo, fc.string()).map(([a, e, b]) => `${a}${e}${b}`),
      echo.map((e) => `Bearer ${e}`),
      echo.map((e) => `"quoted ${e}\\"`),
    );
    return fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        text,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(text, tie("value"), { maxKeys: 4 }),
      ),
    })).value;
  };

  it("turns any JSON document into valid JSON without the secret or its encodings (property)", () => {
    fc.assert(
      fc.property(
        secretArb.chain((secret) => fc.tuple(fc.constant(secret), documentArb(secret))),
        ([secret, document]) => {
          const redacted = redactSecrets(JSON.stringify(document), [secret]);
          expect(() => JSON.parse(redacted)).not.toThrow();
          expect(leaks(redacted, secret)).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
