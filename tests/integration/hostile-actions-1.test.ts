import { afterAll, beforeAll, describe, it } from "vitest";
import { actionsToFuzz, type FuzzTarget, fuzzActions, startFuzzTarget } from "../support/hostile";

/**
 * Hostile input at the server actions, part 1 of 2 (every other action in a fixed order; the other part runs
 * beside it on its own server). What and why: tests/support/hostile.ts.
 */

describe("hostile input: server actions, part 1", () => {
  let target: FuzzTarget;
  beforeAll(async () => {
    target = await startFuzzTarget();
  });
  afterAll(async () => {
    await target?.stop();
  });

  // About ten actions × 1,000 calls: 1½ minutes alone on two cores.
  it("answers malformed arguments with a refusal, never an error", { timeout: 600_000 }, async () => {
    await fuzzActions(target, actionsToFuzz(0, 2));
  });
});
