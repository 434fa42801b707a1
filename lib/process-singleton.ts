/**
 * One value per process, whichever bundle asks. Next compiles instrumentation, each route
 * and the pages into separate bundles, each with its own copy of a module's top-level
 * state, so what must exist once per process (the database client, caches, the gateway,
 * the change feed) lives on globalThis under a name. The name is the contract: every
 * bundle that asks for it gets the same value.
 */
const slots = globalThis as unknown as Record<string, unknown>;

/** The value named `name`, created by `create` on the first call in this process. */
export function processSingleton<T>(name: string, create: () => T): T {
  if (slots[name] === undefined) slots[name] = create();
  return slots[name] as T;
}

/** The value named `name` if something created it already (for shutdown paths that must not create it). */
export function existingProcessSingleton<T>(name: string): T | undefined {
  return slots[name] as T | undefined;
}
