import "server-only";
import { getGateway } from "../../server/gateway.ts";

/**
 * Calls are recorded in batches a fraction of a second after they settle. Console reads of
 * activity and usage wait for this instance's queue first, so a call that just returned is on
 * the page the user opens next (another instance's queue lands within its own flush interval).
 */
export async function caughtUpRecords(): Promise<void> {
  await getGateway().writer.caughtUp();
}
