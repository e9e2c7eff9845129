import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { killMarked, markTestProcess, onLeftover } from "./processes";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..", "..");
let runs = 0;

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/**
 * Runs `crux …` exactly as `npx crux` does (bin/crux.mjs), from another working directory, on the given database.
 * Provider and Crux variables of the calling shell are dropped, so a developer's real keys are never used; `env`
 * is the only configuration the command sees. Standard input is `input` (default: empty), then closed.
 */
export async function runCrux(
  args: string[],
  databaseUrl: string,
  env: Record<string, string> = {},
  input = "",
): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // Node leaves variables whose value is undefined out of the child's environment.
  for (const name of Object.keys(childEnv)) if (/^(OPENAI_|ANTHROPIC_|CRUX_)/.test(name)) childEnv[name] = undefined;
  // A label of its own, so that the command and the processes it starts can be found and killed together.
  const label = `crux ${args.join(" ")} #${++runs}`;
  Object.assign(childEnv, env, { DATABASE_URL: databaseUrl, CRUX_LOG: "error" }, markTestProcess(label));
  const forget = onLeftover(() => killMarked(label));
  try {
    const running = run(process.execPath, [path.join(root, "bin", "crux.mjs"), ...args], {
      cwd: os.tmpdir(),
      env: childEnv,
    });
    running.child.stdin?.end(input);
    const { stdout, stderr } = await running;
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  } finally {
    forget();
  }
}
