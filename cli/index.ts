import { Command } from "commander";
import { registerDebateCommand } from "./commands/debate";
import { registerImportCommand } from "./commands/import";
import { registerModelsCommand } from "./commands/models";

/** `crux`: the command line for researchers. Each sub-command lives in cli/commands/ and registers itself. */
const program = new Command()
  .name("crux")
  .description("Crux: live debate for scalable-oversight research")
  .showHelpAfterError();

registerDebateCommand(program);
registerImportCommand(program);
registerModelsCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`crux: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
