/**
 * What a server's process tree costs, read from /proc: CPU time (user + system, of every
 * live process in the tree plus what its reaped children used) and resident memory.
 * CPU time is the steadiest figure on a shared machine: a busy neighbour slows requests
 * down but does not make them use more CPU.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Kernel clock ticks per second (USER_HZ); /proc/<pid>/stat counts CPU time in these. */
const CLOCK_TICKS_PER_SECOND = (() => {
  const answer = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const ticks = Number(answer.stdout?.trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
})();

/** Fields after the command name of /proc/<pid>/stat (the name may hold spaces and parens). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null; // the process ended while we looked
  }
}

/** Parent pid → child pids, for every live process. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields) continue;
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  return children;
}

export function processTree(root: number): number[] {
  const children = childrenByParent();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/**
 * CPU milliseconds used so far by the tree rooted at `root`: utime + stime of each live
 * process, plus cutime + cstime (children that already exited and were waited for).
 */
export function treeCpuMs(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) {
    const fields = statFields(pid);
    // Fields 14-17 of stat (1-based), counted here from field 3 (state) at index 0.
    if (fields) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

export const CPU_TICK_MS = 1000 / CLOCK_TICKS_PER_SECOND;

function rssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    // next-server sets its process title, which leaves a single argv entry.
    return argv.length === 1
      ? argv[0]
      : argv
          .slice(1, 3)
          .map((arg) => path.basename(arg))
          .join(" ");
  } catch {
    return "?";
  }
}

export type RssReport = { startMb: number; peakMb: number; peakLargestMb: number; largestCommand: string; samples: number };
export type RssSampler = { current(): number; soFar(): RssReport; stop(): RssReport };

const toMb = (kb: number): number => Math.round(kb / 102.4) / 10;

/**
 * Samples the summed VmRSS of the tree rooted at `root` every 100 ms. The tree is re-read
 * only every second: scanning /proc is the costly part, and it runs in the same process
 * as the load generator.
 */
export function startRssSampler(root: number): RssSampler {
  let tree = processTree(root);
  let ticks = 0;
  let latestKb = 0;
  const peak = { startKb: 0, peakKb: 0, peakLargestKb: 0, largestCommand: "", samples: 0 };
  const sample = (): void => {
    if (ticks++ % 10 === 0) tree = processTree(root);
    let total = 0;
    for (const pid of tree) {
      const kb = rssKb(pid);
      total += kb;
      if (kb > peak.peakLargestKb) {
        peak.peakLargestKb = kb;
        peak.largestCommand = commandOf(pid);
      }
    }
    if (peak.samples++ === 0) peak.startKb = total;
    latestKb = total;
    peak.peakKb = Math.max(peak.peakKb, total);
  };
  sample();
  const timer = setInterval(sample, 100);
  timer.unref();
  const report = (): RssReport => ({
    startMb: toMb(peak.startKb),
    peakMb: toMb(peak.peakKb),
    peakLargestMb: toMb(peak.peakLargestKb),
    largestCommand: peak.largestCommand,
    samples: peak.samples,
  });
  return {
    current: () => toMb(latestKb),
    soFar: report,
    stop: () => {
      clearInterval(timer);
      sample();
      return report();
    },
  };
}
