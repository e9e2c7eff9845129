import type { Command } from "commander";
import type { z } from "zod";
import { emailSchema, nameSchema, passwordSchema } from "../../lib/auth/credentials";
import { createOrPromoteAdmin } from "../../lib/auth/users";
import { zodErrorMessage } from "../../lib/errors";
import { withDb } from "../with-db";

interface CreateAdminOptions {
  email: string;
  password?: string;
  name?: string;
}

/** The value, or an error naming the option with zod's message. */
function check<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`${option}: ${zodErrorMessage(result.error, { path: false })}`);
  return result.data;
}

/** Reads a line from a terminal without echoing it. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003" || char === "\u0004") return finish(new Error("cancelled"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.on("data", onData);
  });
}

/** The first line of standard input (for scripts: `echo "$PASSWORD" | crux admin create --email …`). */
async function readFirstLine(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/)[0] ?? "";
}

/** Asks for the password: twice, hidden, on a terminal; otherwise one line from stdin. */
async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const line = await readFirstLine();
    if (!line) throw new Error("no password given: pass --password, or write it to standard input");
    return line;
  }
  const first = await readHidden("Password for the admin (at least 10 characters): ");
  check(passwordSchema, first, "password");
  const second = await readHidden("Repeat the password: ");
  if (first !== second) throw new Error("the two passwords differ");
  return first;
}

async function createAdminAction(options: CreateAdminOptions): Promise<void> {
  // Everything typed is checked before the database is touched.
  const email = check(emailSchema, options.email, "--email");
  const name = check(nameSchema, options.name, "--name");
  if (options.password !== undefined) check(passwordSchema, options.password, "--password");

  await withDb(async (db) => {
    // Promoting an existing user sets the password too: that the address was registered proves nothing about who
    // registered it, so the account becomes the operator's (its old password and sessions stop working).
    const password = options.password ?? check(passwordSchema, await promptPassword(), "password");
    const result = await createOrPromoteAdmin(db, { email, password, name });
    process.stdout.write(
      result.created
        ? `Created admin ${email}.\n`
        : `${email} is now an admin; its password was replaced and its sessions were signed out.\n`,
    );
  });
}

/**
 * Registers `crux admin create --email <e> [--password <p>] [--name <n>]`: creates an admin account, or promotes the
 * user with that email, replacing its password and revoking its sessions. Without --password the password is asked
 * for (hidden on a terminal, else read from standard input), which keeps it out of the shell history.
 */
export function registerAdminCommand(program: Command): void {
  const admin = program.command("admin").description("Manage Crux accounts");
  admin
    .command("create")
    .description("Create an admin account, or make an existing user an admin (replacing its password)")
    .requiredOption("--email <email>", "the admin's email address (their sign-in name)")
    .option("--password <password>", "password, at least 10 characters (default: prompt, or read from stdin)")
    .option("--name <name>", "display name")
    .action((options: CreateAdminOptions) => createAdminAction(options));
}
