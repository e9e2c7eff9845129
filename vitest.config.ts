import { defineConfig } from "vitest/config";

// The PostgreSQL pass: these files run a second time with every test database and test server on PostgreSQL
// (tests/support/postgres.ts); `*.postgres.test.ts` files run only there. Chosen to cover the data layer, studies,
// results and live matches without doubling the whole suite's time (the browser suite runs once, on SQLite).
const POSTGRES_PASS = [
  "lib/**/*.postgres.test.ts",
  "lib/auth/adapter.test.ts",
  "lib/auth/accounts.test.ts",
  "lib/auth/audit.test.ts",
  "lib/matches/immutable-records.test.ts",
  "lib/studies/monitor.test.ts",
  "tests/integration/study-assignment.test.ts",
  "tests/integration/corrections.test.ts",
  "tests/integration/participant-flow.test.ts",
  "tests/integration/results.test.ts",
  "tests/integration/play-match.test.ts",
  "tests/integration/llm-match.test.ts",
  "tests/integration/annotations.test.ts",
  "tests/integration/judge-labels.test.ts",
  "tests/integration/transcripts.test.ts",
  "tests/integration/run-queue.test.ts",
  "tests/integration/recorded-debates.test.ts",
  "tests/integration/recorded-study-people.test.ts",
];

// `npm run test:unit` sets CRUX_TEST_POSTGRES=required and starts PostgreSQL (scripts/services.sh) unless
// CRUX_TEST_POSTGRES_URL is already set (CI's .ci/run starts it once for the whole run). A run that requires the
// PostgreSQL pass fails here rather than skipping it. Without either, e.g. `npx vitest run one.test.ts` while
// developing, only the SQLite pass runs.
const postgresUrl = process.env.CRUX_TEST_POSTGRES_URL;
if (process.env.CRUX_TEST_POSTGRES === "required" && !postgresUrl) {
  throw new Error(
    "CRUX_TEST_POSTGRES=required but CRUX_TEST_POSTGRES_URL is not set: run `npm run test:unit` (or " +
      "`bash scripts/services.sh run -- npx vitest run`), which starts a throwaway PostgreSQL.",
  );
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two files at a time on CI's two cores: most integration files wait on their server, their sockets or their
    // database more than they compute, and every file has a server, database and Redis of its own. (Vitest's
    // default on two cores is one.)
    maxWorkers: 2,
    // Each file stops what its tests started and left running; the run fails if a server or CLI process started
    // by a test outlives it anyway (tests/support/processes.ts).
    setupFiles: ["tests/setup-file.ts"],
    globalSetup: ["tests/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "sqlite",
          // Unit tests live next to the code; integration tests start the real server. Playwright specs
          // (tests/e2e) are run by Playwright, not here.
          include: ["lib/**/*.test.ts", "cli/**/*.test.ts", "scripts/**/*.test.ts", "tests/integration/**/*.test.ts"],
          exclude: ["**/*.postgres.test.ts", "**/node_modules/**"],
        },
      },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: "postgresql",
                include: POSTGRES_PASS,
                env: { CRUX_TEST_DATABASE_PROVIDER: "postgresql" },
                globalSetup: ["tests/global-setup.ts", "tests/postgres-setup.ts"],
              },
            },
          ]
        : []),
    ],
  },
});
