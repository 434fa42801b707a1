/** `npm run build`: a production build, recorded so `npm start` knows it is current. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureProductionBuild } from "../lib/setup/production-build.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const force = !process.argv.includes("--if-stale");
const outcome = ensureProductionBuild(root, { force, log: (line) => console.log(`switchyard: ${line}`) });
if (outcome === "current") console.log("switchyard: the build is current");
process.exit(outcome === "failed" ? 1 : 0);
