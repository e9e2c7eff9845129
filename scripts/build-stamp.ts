import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * `npm start` rebuilds only when the build is not current. After a successful `next build`, a stamp — a SHA-256 of
 * every source file the build reads (path and content) — is written into the build folder; a start whose sources
 * hash to the stamp skips the build. The stamp is removed before a build starts, so a build interrupted half-way
 * (Ctrl-C, a crash, a full disk) leaves none and the next start builds again.
 */

/** Folders and files whose contents make the build; everything else (tests, docs, data, bench) does not. */
export const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation-client.ts",
  "next.config.js",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "postcss.config.mjs",
];
/** Never part of the build's inputs, wherever they are. */
const SKIPPED = new Set(["node_modules", ".next", ".git", "generated"]);
export const STAMP_FILE = "crux-build-stamp";

/** The SHA-256 of the inputs under `root` (files in sorted order, unit tests excluded). */
export function hashSources(root: string, inputs: readonly string[] = BUILD_INPUTS): string {
  const hash = createHash("sha256");
  const visit = (relative: string) => {
    const full = path.join(root, relative);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) {
        if (!SKIPPED.has(name)) visit(path.join(relative, name));
      }
    } else if (stat.isFile() && !/\.test\.tsx?$/.test(relative)) {
      hash.update(`${relative.split(path.sep).join("/")}\u0000${stat.size}\u0000`);
      hash.update(fs.readFileSync(full));
    }
  };
  for (const input of [...inputs].sort()) visit(input);
  return hash.digest("hex");
}

/** The stamp's content: the sources' hash and the build's id (a build run without this script changes the id). */
function stampOf(root: string, distDir: string, hash: string): string {
  return `${hash} ${fs.readFileSync(path.join(root, distDir, "BUILD_ID"), "utf8").trim()}\n`;
}

/** Whether the build in `distDir` was made from exactly these sources (and finished). */
export function isBuildCurrent(root: string, distDir = ".next"): boolean {
  const stamp = path.join(root, distDir, STAMP_FILE);
  if (!fs.existsSync(path.join(root, distDir, "BUILD_ID")) || !fs.existsSync(stamp)) return false;
  return fs.readFileSync(stamp, "utf8") === stampOf(root, distDir, hashSources(root));
}

/**
 * Builds unless the build is current. `build` runs the real build (or a test's stand-in) and rejects on failure;
 * the sources are hashed before it runs, so an edit made during the build makes the next start build again.
 */
export async function ensureBuild(options: {
  root: string;
  build: () => Promise<void>;
  distDir?: string;
  /** Build even when the build is current (`npm run build`). */
  force?: boolean;
  log?: (line: string) => void;
}): Promise<{ built: boolean }> {
  const relative = options.distDir ?? ".next";
  const distDir = path.join(options.root, relative);
  if (!options.force && isBuildCurrent(options.root, relative)) {
    options.log?.("build is current: skipping `next build`");
    return { built: false };
  }
  const hash = hashSources(options.root);
  fs.rmSync(path.join(distDir, STAMP_FILE), { force: true });
  await options.build();
  fs.mkdirSync(distDir, { recursive: true });
  // Written to a temporary name and renamed, so a stamp is either whole or absent.
  const temporary = path.join(distDir, `${STAMP_FILE}.tmp`);
  fs.writeFileSync(temporary, stampOf(options.root, relative, hash));
  fs.renameSync(temporary, path.join(distDir, STAMP_FILE));
  return { built: true };
}

/** Runs a command with the terminal attached; rejects when it fails. */
export function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}
