import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Unit tests live next to the code; integration tests start the real server. Playwright specs (tests/e2e)
    // are run by Playwright, not here.
    include: ["lib/**/*.test.ts", "cli/**/*.test.ts", "scripts/**/*.test.ts", "tests/integration/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Fails the run if a server or CLI process started by a test outlives it (tests/support/processes.ts).
    globalSetup: ["tests/global-setup.ts"],
  },
});
