import { describe, expect, it } from "vitest";
import { credentialEnvNameProblem, readCredentialEnv } from "./credential-env-name";

const env = {
  ACME_API_KEY: "acme-secret",
  AUTH_SECRET: "session-signing-secret",
  NEXTAUTH_SECRET: "session-signing-secret",
  CREDENTIALS_SECRET: "cipher-secret",
  NEW_CREDENTIALS_SECRET: "cipher-secret-2",
  DATABASE_URL: "postgres://user:pw@db/switchyard",
  REDIS_URL: "redis://:pw@cache",
  GITHUB_CLIENT_SECRET: "gh-secret",
  GOOGLE_CLIENT_SECRET: "g-secret",
  SWITCHYARD_API_KEY: "sk-sy-v1-client",
  LEGACY_PROVIDER_TOKEN: "legacy-token",
  HOME: "/root",
};

describe("which environment variables may hold a provider credential", () => {
  it("accepts *_API_KEY names", () => {
    expect(credentialEnvNameProblem("ACME_API_KEY", env)).toBeNull();
    expect(readCredentialEnv(env, "ACME_API_KEY")).toBe("acme-secret");
  });

  it.each([
    "AUTH_SECRET",
    "NEXTAUTH_SECRET",
    "CREDENTIALS_SECRET",
    "NEW_CREDENTIALS_SECRET",
    "DATABASE_URL",
    "REDIS_URL",
    "GITHUB_CLIENT_SECRET",
    "GOOGLE_CLIENT_SECRET",
    "SWITCHYARD_API_KEY",
  ])("never reads the gateway's own secret %s, even when the operator lists it", (name) => {
    const listed = { ...env, PROVIDER_KEY_ENVS: `${name},LEGACY_PROVIDER_TOKEN` };
    expect(credentialEnvNameProblem(name, listed)).toMatch(/gateway's own secrets/);
    expect(readCredentialEnv(listed, name)).toBeNull();
  });

  it("refuses other names unless PROVIDER_KEY_ENVS lists them", () => {
    expect(credentialEnvNameProblem("LEGACY_PROVIDER_TOKEN", env)).toMatch(/PROVIDER_KEY_ENVS/);
    expect(readCredentialEnv(env, "HOME")).toBeNull();
    const listed = { ...env, PROVIDER_KEY_ENVS: " OTHER , LEGACY_PROVIDER_TOKEN" };
    expect(credentialEnvNameProblem("LEGACY_PROVIDER_TOKEN", listed)).toBeNull();
    expect(readCredentialEnv(listed, "LEGACY_PROVIDER_TOKEN")).toBe("legacy-token");
  });

  it("reads nothing for an unset, empty or missing name", () => {
    expect(readCredentialEnv({ ACME_API_KEY: "  " }, "ACME_API_KEY")).toBeNull();
    expect(readCredentialEnv(env, "OTHER_API_KEY")).toBeNull();
    expect(readCredentialEnv(env, null)).toBeNull();
  });
});
