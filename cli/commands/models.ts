import type { Command } from "commander";
import { env } from "../../lib/env";
import { checkModel, listConfiguredModels } from "../../lib/models/catalog";
import { createLlmRuntime } from "../../lib/models/runtime";

/**
 * `crux models`: which models this installation can use (offline ones, and what each configured provider offers),
 * and with `--check`, whether each answers a one-line prompt. Keys are never printed.
 */
export function registerModelsCommand(program: Command): void {
  program
    .command("models")
    .description("List configured models; with --check, ask each to answer a one-line prompt")
    .argument("[specs...]", "model specs to check (default: every listed language model)")
    .option("--check", "send a short prompt to each model and report whether it answers")
    .option("--json", "print JSON")
    .action(async (specs: string[], opts: { check?: boolean; json?: boolean }) => {
      const runtime = createLlmRuntime({
        pricesFile: env.CRUX_MODEL_PRICES,
        policy: { timeoutMs: env.CRUX_MODEL_TIMEOUT_MS, maxAttempts: env.CRUX_MODEL_MAX_ATTEMPTS },
      });
      const listed = await listConfiguredModels(runtime.providers);
      // Providers whose model list could not be read have no model to check: their listing says why.
      const toCheck = specs.length ? specs : listed.filter((m) => m.isLanguageModel && !m.note).map((m) => m.spec);
      const checks = opts.check ? await Promise.all(toCheck.map((spec) => checkModel(runtime, spec))) : [];
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ models: listed, checks })}\n`);
      } else {
        for (const m of listed) {
          process.stdout.write(`${m.spec.padEnd(48)} ${m.label}${m.note ? ` (${m.note})` : ""}\n`);
        }
        if (!listed.some((m) => m.isLanguageModel)) {
          process.stdout.write(
            "\nNo language-model provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY, or " +
              "CRUX_PROVIDER_<NAME>_BASE_URL for an OpenAI-compatible server (see docs/models.md).\n",
          );
        }
        for (const c of checks) {
          const status = c.ok ? `ok in ${c.latencyMs} ms: ${JSON.stringify(c.answer)}` : `FAILED: ${c.error}`;
          process.stdout.write(`check ${c.spec}: ${status}\n`);
        }
      }
      if (checks.some((c) => !c.ok)) process.exitCode = 1;
    });
}
