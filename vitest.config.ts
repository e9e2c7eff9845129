import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Unit tests live next to the code; integration tests start the real server. Playwright specs (tests/e2e)
    // are run by Playwright, not here.
    include: ["lib/**/*.test.ts", "cli/**/*.test.ts", "scripts/**/*.test.ts", "tests/integration/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Each file stops what its tests started and left running; the run fails if a server or CLI process started
    // by a test outlives it anyway (tests/support/processes.ts).
    setupFiles: ["tests/setup-file.ts"],
    globalSetup: ["tests/global-setup.ts"],
  },
});
