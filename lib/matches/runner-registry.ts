import type { MatchRunner } from "./runner";

/**
 * The process's match runner, for code that Next loads (server actions, route handlers) and that must act on live
 * matches — ending one from the study monitor, say. server.ts registers it at start. On globalThis because Next
 * may load this module in more than one bundle of the same process.
 */
const globalForRunner = globalThis as unknown as { cruxRunner?: MatchRunner };

export function registerRunner(runner: MatchRunner): void {
  globalForRunner.cruxRunner = runner;
}

/** The registered runner, or null outside the server (CLI, unit tests). */
export function getRunner(): MatchRunner | null {
  return globalForRunner.cruxRunner ?? null;
}
