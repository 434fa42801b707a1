/**
 * Which environment variables may hold a provider credential. A catalog entry (from the
 * file, `catalog:check` or a console import) names a variable whose value the gateway
 * then sends upstream as a bearer token, so a name like AUTH_SECRET or DATABASE_URL
 * would hand the gateway's own secrets to whoever runs that upstream. Only `*_API_KEY`
 * names, or the names an operator lists in PROVIDER_KEY_ENVS, are accepted, and the
 * gateway's own secrets never are, even when listed. Pure: the CLI, the schema and the
 * credential lookup share it.
 */
type Env = Readonly<Record<string, string | undefined>>;

/** Variables the gateway itself reads as secrets or connection strings. */
const GATEWAY_SECRETS = new Set([
  "AUTH_SECRET",
  "NEXTAUTH_SECRET",
  "CREDENTIALS_SECRET",
  "NEW_CREDENTIALS_SECRET",
  "OLD_CREDENTIALS_SECRET",
  "DATABASE_URL",
  "REDIS_URL",
  "TEST_REDIS_URL",
  "TEST_POSTGRES_ADMIN_URL",
  "GITHUB_CLIENT_ID",
  "GITHUB_CLIENT_SECRET",
  "GOOGLE_CLIENT_ID",
  "GOOGLE_CLIENT_SECRET",
  // The key clients use to call this gateway, as in the README's examples.
  "SWITCHYARD_API_KEY",
]);

/** Names that are secrets of the gateway or of its sign-in providers whatever they are called. */
const GATEWAY_SECRET_SHAPES = [/^NEXTAUTH_/, /^AUTH_/, /_CLIENT_SECRET$/, /CREDENTIALS_SECRET$/];

const PROVIDER_KEY_SHAPE = /^[A-Z][A-Z0-9_]*_API_KEY$/;

export function isGatewaySecretName(name: string): boolean {
  return GATEWAY_SECRETS.has(name) || GATEWAY_SECRET_SHAPES.some((shape) => shape.test(name));
}

/** The operator's explicit allow-list: PROVIDER_KEY_ENVS=A,B. */
export function allowedProviderKeyEnvs(env: Env): Set<string> {
  return new Set(
    (env.PROVIDER_KEY_ENVS ?? "")
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  );
}

/** Why `name` may not hold a provider credential, or null when it may. */
export function credentialEnvNameProblem(name: string, env: Env): string | null {
  if (isGatewaySecretName(name)) return `${name} is one of the gateway's own secrets and is never sent to a provider`;
  if (PROVIDER_KEY_SHAPE.test(name) || allowedProviderKeyEnvs(env).has(name)) return null;
  return `${name} is not a provider key variable: use a name ending in _API_KEY (like ACME_API_KEY), or list it in PROVIDER_KEY_ENVS`;
}

/** The credential in the environment variable `name`, when that name may hold one and is set. */
export function readCredentialEnv(env: Env, name: string | null | undefined): string | null {
  if (!name || credentialEnvNameProblem(name, env) !== null) return null;
  const value = env[name]?.trim();
  return value ? value : null;
}
