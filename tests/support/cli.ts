import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { markTestProcess } from "./processes";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..", "..");

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
  Object.assign(
    childEnv,
    env,
    { DATABASE_URL: databaseUrl, CRUX_LOG: "error" },
    markTestProcess(`crux ${args.join(" ")}`),
  );
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
  }
}
