import path from "node:path";
import { ensureBuild, run } from "./build-stamp";

/**
 * `npm start`'s first step: `next build` unless the build is current (./build-stamp.ts), so a restart takes seconds.
 * `--force` builds anyway (`npm run build`), and stamps the result too.
 */
const root = path.resolve(import.meta.dirname, "..");
const force = process.argv.includes("--force");
const next = path.join(root, "node_modules", ".bin", "next");
const build = () => run(next, ["build"], root);
await ensureBuild({ root, build, force, log: (line) => console.log(line) });
