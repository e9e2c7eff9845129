import { randomUUID } from "node:crypto";
import fs from "node:fs";

/**
 * Marks the processes the tests start, so that none can outlive the run unnoticed. The global setup
 * (tests/global-setup.ts) gives each run an id in CRUX_TEST_RUN, which the test workers inherit; every process
 * a test starts (servers, CLI runs) gets CRUX_TEST_PROCESS=<run id>:<label> in its environment, and its own
 * children inherit that. Once the last test file is done, the teardown looks for processes still carrying the
 * run's mark: each one is a leak. The workers themselves carry only CRUX_TEST_RUN, so they never count.
 */

export const RUN_VARIABLE = "CRUX_TEST_RUN";
export const PROCESS_VARIABLE = "CRUX_TEST_PROCESS";

/** A new id for a test run. */
export function newRunId(): string {
  return randomUUID();
}

/**
 * Environment variables that mark a process started by a test as belonging to this run. Empty outside a test run
 * (e.g. a bench script using the server helper), where nothing checks.
 */
export function markTestProcess(label: string): Record<string, string> {
  const run = process.env[RUN_VARIABLE];
  return run ? { [PROCESS_VARIABLE]: `${run}:${label}` } : {};
}

export interface MarkedProcess {
  pid: number;
  /** The label given to `markTestProcess`. */
  label: string;
  command: string;
}

/**
 * Live processes of this user marked as started by test run `run` (Linux: read from /proc; elsewhere none are
 * found). Zombies have no environment left, so a process that has exited but was not yet reaped is not counted.
 */
export function findTestProcesses(run: string): MarkedProcess[] {
  const prefix = `${PROCESS_VARIABLE}=${run}:`;
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  const found: MarkedProcess[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      // Another user's processes, and those that exit meanwhile, cannot be read: neither is ours to report.
      environ = fs.readFileSync(`/proc/${entry}/environ`, "utf8");
    } catch {
      continue;
    }
    const mark = environ.split("\0").find((variable) => variable.startsWith(prefix));
    if (!mark) continue;
    let command = "";
    try {
      command = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      continue;
    }
    found.push({ pid, label: mark.slice(prefix.length), command });
  }
  return found;
}

const leftovers = new Set<() => unknown>();

/**
 * Registers how to stop a process a test started, for when the test ends first (it failed, or timed out while the
 * process was still needed). Returns the function that forgets it, to call once the process has exited.
 */
export function onLeftover(stop: () => unknown): () => void {
  leftovers.add(stop);
  return () => leftovers.delete(stop);
}

/** Stops every process this test file started and has not stopped; runs after each file (tests/setup-file.ts). */
export async function stopLeftovers(): Promise<void> {
  const stops = [...leftovers];
  leftovers.clear();
  await Promise.allSettled(stops.map(async (stop) => stop()));
}

/** Kills, at once, every process of this run marked with exactly `label` (a command and all it started). */
export function killMarked(label: string): void {
  const run = process.env[RUN_VARIABLE];
  if (!run) return;
  for (const found of findTestProcesses(run)) {
    if (found.label !== label) continue;
    try {
      process.kill(found.pid, "SIGKILL");
    } catch {
      // Exited meanwhile.
    }
  }
}
