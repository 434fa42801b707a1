/** A new account as a user makes one, through the console's HTTP API, and its balance as a key sees it. */
import { ConsoleClient } from "./console-client";

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status}: ${await response.text()}`);
}

/** Signs `email` up and in, then creates one API key named `keyName` on the keys page's API. */
export async function accountWithKey(
  url: string,
  email: string,
  { password, keyName = "test key" }: { password: string; keyName?: string },
): Promise<{ client: ConsoleClient; key: string; keyId: string }> {
  const client = new ConsoleClient(url);
  await expectStatus(await client.signUp(email, password), 201, `signing up ${email}`);
  const refused = await client.signIn(email, password);
  if (refused) throw new Error(`signing in ${email}: ${refused}`);
  const created = await client.fetch("/api/console/keys", { json: { name: keyName } });
  await expectStatus(created.clone(), 201, `creating a key for ${email}`);
  const body = (await created.json()) as { key: string; data: { id: string } };
  return { client, key: body.key, keyId: body.data.id };
}

export type KeyBalance = { total_credits: number; available_credits: number };

/** GET /api/v1/management/payg/balance with `key`: the owner's balance in ZenMux's shape. */
export async function balanceOf(url: string, key: string): Promise<KeyBalance> {
  const response = await fetch(`${url}/api/v1/management/payg/balance`, { headers: { authorization: `Bearer ${key}` } });
  await expectStatus(response.clone(), 200, "reading the balance");
  return ((await response.json()) as { data: KeyBalance }).data;
}
