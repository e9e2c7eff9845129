/**
 * Builds the recorded debates shipped in data/nyu-2023 from the NYU 2023 release in ../shared/data (not part of a
 * clone): every debate `crux import nyu-2023` converts (live judges), in the debate import format, each story kept
 * once in stories.jsonl.gz. Deterministic (same input → byte-identical files).
 *
 *   npx tsx scripts/build-shipped-debates.ts [release-dir]      (default: ../shared/data/nyu-debate-2023)
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { projectRoot } from "../lib/env";
import { convertNyuRelease } from "../lib/import/nyu-2023";
import { shippedDebatesDir, toShipped } from "../lib/import/shipped-debates";

const release = path.resolve(process.argv[2] ?? path.join(projectRoot, "..", "shared", "data", "nyu-debate-2023"));
const { debates, skipped } = convertNyuRelease(release);
const shipped = toShipped(debates);

function writeJsonlGz(file: string, records: readonly object[]): void {
  const target = path.join(shippedDebatesDir, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, gzipSync(records.map((r) => `${JSON.stringify(r)}\n`).join(""), { level: 9 }));
  console.log(`${path.relative(projectRoot, target)}: ${records.length} records, ${fs.statSync(target).size} bytes`);
}

writeJsonlGz("debates.jsonl.gz", shipped.debates);
writeJsonlGz("stories.jsonl.gz", shipped.stories);
console.log(`${skipped.length} rooms skipped (unfinished, or no live judge)`);
