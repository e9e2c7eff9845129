import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureBuild, isBuildCurrent, STAMP_FILE } from "./build-stamp";

/** `npm start` skips `next build` when the build is current: tried on a tiny tree with a stand-in build. */

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

function fixture(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "crux-build-stamp-"));
  roots.push(root);
  fs.mkdirSync(path.join(root, "app"));
  fs.mkdirSync(path.join(root, "lib"));
  fs.writeFileSync(path.join(root, "app", "page.tsx"), "export default function Page() { return null; }\n");
  fs.writeFileSync(path.join(root, "lib", "rules.ts"), "export const rounds = 3;\n");
  fs.writeFileSync(path.join(root, "package.json"), "{}\n");
  return root;
}

/** A stand-in for `next build`: writes a new BUILD_ID, as Next does; counts its runs. */
function fakeBuild(root: string) {
  const runs = { count: 0 };
  const build = async () => {
    runs.count += 1;
    fs.mkdirSync(path.join(root, ".next"), { recursive: true });
    fs.writeFileSync(path.join(root, ".next", "BUILD_ID"), randomUUID());
  };
  return { runs, build };
}

describe("ensureBuild", () => {
  it("builds once, then skips while the sources are unchanged, and builds again after an edit", async () => {
    const root = fixture();
    const { runs, build } = fakeBuild(root);
    expect(await ensureBuild({ root, build })).toEqual({ built: true });
    expect(isBuildCurrent(root)).toBe(true);
    expect(await ensureBuild({ root, build })).toEqual({ built: false });
    expect(runs.count).toBe(1);

    fs.writeFileSync(path.join(root, "lib", "rules.ts"), "export const rounds = 4;\n");
    expect(isBuildCurrent(root)).toBe(false);
    expect(await ensureBuild({ root, build })).toEqual({ built: true });
    // Files that are not the build's inputs (tests, docs) do not count.
    fs.writeFileSync(path.join(root, "lib", "rules.test.ts"), "// a test\n");
    fs.mkdirSync(path.join(root, "docs"));
    fs.writeFileSync(path.join(root, "docs", "notes.md"), "notes\n");
    expect(await ensureBuild({ root, build })).toEqual({ built: false });
    // A new file in an input folder does.
    fs.writeFileSync(path.join(root, "app", "extra.ts"), "export {};\n");
    expect(await ensureBuild({ root, build })).toEqual({ built: true });
    expect(runs.count).toBe(3);
  });

  it("builds again after a build that was interrupted, and after one run without the stamp", async () => {
    const root = fixture();
    const { runs, build } = fakeBuild(root);
    await ensureBuild({ root, build });
    fs.writeFileSync(path.join(root, "lib", "rules.ts"), "export const rounds = 5;\n");
    // Interrupted half-way: output partly written, then the build dies.
    const interrupted = async () => {
      fs.writeFileSync(path.join(root, ".next", "BUILD_ID"), "half");
      throw new Error("next build failed (SIGINT)");
    };
    await expect(ensureBuild({ root, build: interrupted })).rejects.toThrow(/SIGINT/);
    expect(fs.existsSync(path.join(root, ".next", STAMP_FILE))).toBe(false);
    expect(await ensureBuild({ root, build })).toEqual({ built: true });

    // `next build` run directly (a new BUILD_ID, the stamp left from before): not trusted, built again.
    fs.writeFileSync(path.join(root, ".next", "BUILD_ID"), randomUUID());
    expect(await ensureBuild({ root, build })).toEqual({ built: true });
    expect(await ensureBuild({ root, build, force: true })).toEqual({ built: true });
    expect(runs.count).toBe(4);
  });
});
