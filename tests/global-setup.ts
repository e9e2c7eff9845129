import { setTimeout as sleep } from "node:timers/promises";
import { findTestProcesses, newRunId, RUN_VARIABLE } from "./support/processes";

/**
 * Vitest's global setup: gives the run an id (inherited by the test workers, which mark every process they start
 * with it, see tests/support/processes.ts), and afterwards fails the run if any such process is still alive.
 */
export function setup(): void {
  process.env[RUN_VARIABLE] ??= newRunId();
}

/** How long a process told to stop may take to exit (a server shuts down its runner and database first). */
const GRACE_MS = 10_000;

export async function teardown(): Promise<void> {
  const run = process.env[RUN_VARIABLE];
  if (!run) return;
  // Waits for the condition, not a fixed time: a clean run finds nothing and returns at once.
  const deadline = Date.now() + GRACE_MS;
  let survivors = findTestProcesses(run);
  while (survivors.length > 0 && Date.now() < deadline) {
    await sleep(100);
    survivors = findTestProcesses(run);
  }
  if (survivors.length === 0) return;
  for (const survivor of survivors) {
    try {
      process.kill(survivor.pid, "SIGKILL");
    } catch {
      // Exited meanwhile.
    }
  }
  process.exitCode = 1;
  const list = survivors.map((s) => `  pid ${s.pid} (${s.label}): ${s.command}`).join("\n");
  throw new Error(
    `${survivors.length} process(es) started by the tests were still running after the last test file; they ` +
      `have been killed. Stop every process a test starts, in afterAll or finally:\n${list}`,
  );
}
