import { afterAll } from "vitest";
import { stopLeftovers } from "./support/processes";

/**
 * Runs before every test file: when the file is done, servers and commands its tests started but did not stop
 * (a test failed or timed out halfway) are stopped, so they cannot outlive the run (see tests/global-setup.ts).
 */
afterAll(stopLeftovers);
