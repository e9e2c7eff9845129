import { Command } from "commander";
import { registerAdminCommand } from "./commands/admin";
import { registerBackupCommand } from "./commands/backup";
import { registerCorrectCommand } from "./commands/correct";
import { registerDebateCommand } from "./commands/debate";
import { registerExportCommand } from "./commands/export";
import { registerImportCommand } from "./commands/import";
import { registerModelsCommand } from "./commands/models";
import { registerRestoreCommand } from "./commands/restore";
import { registerStatsCommand } from "./commands/stats";
import { registerStudyCommand } from "./commands/study";

// The AI SDK logs provider warnings (e.g. Anthropic ignoring `seed`) with console.info on stdout, which would
// corrupt `--json` output: send them to stderr.
globalThis.AI_SDK_LOG_WARNINGS = ({ warnings, provider, model }) => {
  for (const w of warnings) process.stderr.write(`AI SDK warning (${provider} / ${model}): ${JSON.stringify(w)}\n`);
};

/** `crux`: the command line for researchers. Each sub-command lives in cli/commands/ and registers itself. */
const program = new Command()
  .name("crux")
  .description("Crux: live debate for scalable-oversight research")
  .showHelpAfterError();

registerDebateCommand(program);
registerImportCommand(program);
registerModelsCommand(program);
registerAdminCommand(program);
registerStudyCommand(program);
registerStatsCommand(program);
registerExportCommand(program);
registerCorrectCommand(program);
registerBackupCommand(program);
registerRestoreCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`crux: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
