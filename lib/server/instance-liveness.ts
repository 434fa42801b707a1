import "server-only";
/**
 * This process as a gateway instance: its identity (the start script's, passed in
 * SWITCHYARD_INSTANCE_ID and SWITCHYARD_BOOT_ID), its heartbeat, and the sweeper that
 * recovers holds of instances that died or restarted. Started when the server starts
 * (instrumentation.ts), not at the first request: an idle instance must keep
 * heartbeating, and another's crash must be recovered even if this one serves nothing.
 */
import { getDb } from "../db/client.ts";
import { sweepOrphanedHolds } from "../billing/ledger-billing.ts";
import {
  forgetLongGoneInstances,
  heartbeat,
  livenessTimings,
  registerBoot,
  resolveIdentity,
  retireBoot,
  type InstanceIdentity,
} from "../billing/instance-registry.ts";
import { existingProcessSingleton, processSingleton } from "../process-singleton.ts";

type Liveness = { identity: InstanceIdentity; timers: NodeJS.Timeout[] };

const processLiveness = () => processSingleton<Liveness>("switchyardInstance", () => ({ identity: resolveIdentity(process.env), timers: [] }));

export function currentInstance(): InstanceIdentity {
  return processLiveness().identity;
}

const logFailure = (what: string) => (error: Error) => console.error(`switchyard: ${what} failed: ${error.message}`);

export function startInstanceLiveness(): void {
  const liveness = processLiveness();
  const { identity } = liveness;
  if (liveness.timers.length > 0) return;
  const db = getDb();
  const { heartbeatMs, staleMs, sweepMs } = livenessTimings(process.env);
  // One sweep at a time: a round slower than sweepMs (a loaded database) would otherwise race
  // the next for the same orphans, splitting the work and its log lines.
  let sweeping: Promise<void> | null = null;
  const sweep = () =>
    (sweeping ??= sweepOrphanedHolds(db, staleMs)
      .catch(logFailure("recovering orphaned holds"))
      .finally(() => {
        sweeping = null;
      }));
  // Registering first makes the holds of this instance's earlier runs orphaned; the
  // start script already recovered them before serving, this covers other launchers.
  void registerBoot(db, identity).then(sweep, logFailure("registering this instance"));
  liveness.timers.push(
    setInterval(() => {
      heartbeat(db, identity).then((state) => {
        if (state === "taken_over")
          console.error(
            `switchyard: another process registered instance id ${identity.instanceId}; every running instance needs its own SWITCHYARD_INSTANCE_ID`,
          );
      }, logFailure("heartbeat"));
    }, heartbeatMs),
    setInterval(() => void sweep(), sweepMs),
    setInterval(() => void forgetLongGoneInstances(db).catch(logFailure("forgetting old instances")), 3_600_000),
  );
  for (const timer of liveness.timers) timer.unref();
}

/** After a graceful drain: stop beating and leave, so whatever is still held is recovered at once by others. */
export async function stopInstanceLiveness(): Promise<void> {
  const liveness = existingProcessSingleton<Liveness>("switchyardInstance");
  if (!liveness) return;
  for (const timer of liveness.timers.splice(0)) clearInterval(timer);
  await retireBoot(getDb(), liveness.identity).catch(logFailure("retiring this instance"));
}
