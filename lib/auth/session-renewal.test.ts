import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { SESSION_MAX_AGE_SECONDS, SESSION_RENEW_AFTER_SECONDS } from "./session-lifetime";
import { renewedSessionToken } from "./session-renewal";

const SECRET = "a test secret that is long enough";

describe("renewedSessionToken", () => {
  it("leaves a cookie younger than a day alone", async () => {
    const token = await encode({ token: { uid: "u1", epoch: 3 }, secret: SECRET, maxAge: SESSION_MAX_AGE_SECONDS });
    const issued = (await decode({ token, secret: SECRET }))!.iat as number;
    expect(await renewedSessionToken(token, SECRET, issued + SESSION_RENEW_AFTER_SECONDS - 1)).toBeNull();
  });

  it("re-issues an older cookie with the same claims and a fresh week", async () => {
    const token = await encode({ token: { uid: "u1", epoch: 3, email: "a@example.com" }, secret: SECRET, maxAge: SESSION_MAX_AGE_SECONDS });
    const before = (await decode({ token, secret: SECRET }))!;
    const renewed = await renewedSessionToken(token, SECRET, (before.iat as number) + SESSION_RENEW_AFTER_SECONDS);
    expect(renewed).toEqual(expect.any(String));
    const after = (await decode({ token: renewed!, secret: SECRET }))!;
    expect(after).toMatchObject({ uid: "u1", epoch: 3, email: "a@example.com" });
    expect(after.exp as number).toBeGreaterThanOrEqual((after.iat as number) + SESSION_MAX_AGE_SECONDS);
    expect(after.jti).not.toBe(before.jti);
  });

  it("renews nothing it cannot read", async () => {
    const token = await encode({ token: { uid: "u1", epoch: 0 }, secret: "another secret entirely", maxAge: SESSION_MAX_AGE_SECONDS });
    expect(await renewedSessionToken(token, SECRET, Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(await renewedSessionToken("not a token", SECRET, Number.MAX_SAFE_INTEGER)).toBeNull();
  });
});
