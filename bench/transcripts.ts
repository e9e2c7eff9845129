/**
 * Transcript browsing and search benchmark: `npm run bench:transcripts`.
 *
 * Seeds, in a temporary SQLite database migrated like the real one, 10,000 transcripts with realistic turns
 * (60–180 words of argument, quotes, judge questions and explanations): a researcher's study (6,000 matches over
 * two conditions, human and AI judges), another researcher's study (2,000, which the viewer may not see) and free
 * play (2,000), imported-style tags on a tenth. The full-text indexes are filled by the migration's triggers as the
 * rows go in, as they are in production. Then it times, as the researcher, 40 times each after a warm-up:
 * - the list request: `browseTranscripts` exactly as /transcripts calls it (filter choices + one page of the table
 *   with its total) with two filters (protocol and a minimum confidence, over everything the viewer may see);
 * - a full-text search: `browseTranscripts` with words to find (filter choices + one page of hits with their
 *   total and highlighted snippets), rotating over a few queries.
 * Target: p95 < 150 ms for both. Prints the figures and exits 1 when a target is missed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import type { SessionUser } from "../lib/auth/roles";
import { createDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { mulberry32 } from "../lib/random";
import { browseTranscripts } from "../lib/transcripts/browse";
import { parseTranscriptFilters } from "../lib/transcripts/filters";

const TRANSCRIPTS = 10_000;
const QUESTIONS = 1_000;
const JUDGES = 400;
const REPEATS = 40;
const WARM_UP = 5;
const TARGET_P95_MS = 150;
const MODELS = ["openai:gpt-4o-mini", "anthropic:claude-3-5-haiku", "openai:gpt-4o"];
const AI_JUDGE = "openai:gpt-4o";
const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 0, 1);

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

// Words of a debate about a story, drawn with Zipf's law (word k about 1/k as often as the commonest) as in real
// text: common words are in nearly every turn, most words in few, so searches are as selective as on real data.
const COMMON = `the of and to a in that it was he is for with as his on be at by had not but from or she which you
  they her were all this one there we said so an my when who would their if what out up them about into more than
  only then could some time like did keeper lighthouse storm ships harbour ledger captain crew lantern gallery log
  candle night morning tide rocks signal wreck passenger letter sister brother mother father village council mayor
  doctor teacher child garden orchard river bridge mill market station train engine telegraph message secret
  promise debt fortune inheritance quarrel wedding funeral festival winter summer journey return departure arrival
  evidence passage chapter paragraph line author narrator character motive reason because therefore however
  although clearly plainly certainly perhaps likely unlikely argues claims shows proves suggests implies
  contradicts supports ignores misreads quotes earlier later before after during while where answer option
  question judge opponent debater honest dishonest mistaken correct wrong true false explain careful reading
  context sentence word meaning tone irony humour fear anger hope regret loyalty betrayal`
  .split(/\s+/)
  .filter(Boolean);
const SYLLABLES = "ka ro mi len tas vor bel dun sha pri gol ith nor wex fal quen dar sol mur tev".split(" ");
const RARE = SYLLABLES.flatMap((a) => SYLLABLES.flatMap((b) => [`${a}${b}`, ...SYLLABLES.map((c) => `${a}${b}${c}`)]));
const WORDS = [...COMMON, ...RARE.slice(0, 6_000)];
/** Cumulative Zipf weights over WORDS, for drawing a word by binary search. */
const CUMULATIVE = (() => {
  let sum = 0;
  return WORDS.map((_, k) => {
    sum += 1 / (k + 1);
    return sum;
  });
})();

function word(random: () => number): string {
  const target = random() * (CUMULATIVE.at(-1) as number);
  let [lo, hi] = [0, CUMULATIVE.length - 1];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((CUMULATIVE[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return WORDS[lo] as string;
}

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(word(random));
  const text = out.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: () => number, words: number): string {
  const parts: string[] = [];
  let left = words;
  while (left > 0) {
    const n = Math.min(left, 8 + Math.floor(random() * 14));
    parts.push(sentence(random, n));
    left -= n;
  }
  return parts.join(" ");
}

/** Writes the transcripts straight into the (migrated) database with prepared statements in one transaction. */
export function seed(file: string): { viewer: SessionUser } {
  const db = new Database(file);
  db.pragma("synchronous = OFF");
  const random = mulberry32(20261205);
  const now = iso(START);
  const viewer = { id: "user-viewer", role: "researcher", email: "viewer@bench.test", name: null };
  db.transaction(() => {
    const user = db.prepare(`INSERT INTO "User" (id, email, role, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)`);
    user.run(viewer.id, viewer.email, "researcher", now, now);
    user.run("user-other", "other@bench.test", "researcher", now, now);
    for (let j = 0; j < JUDGES; j++) user.run(`judge-${j}`, `judge-${j}@bench.test`, "player", now, now);
    const config = (name: string) =>
      JSON.stringify({
        name,
        conditions: [
          { name: "debate", protocol: "debate", rounds: 3 },
          { name: "consultancy", protocol: "consultancy", rounds: 3 },
        ],
      });
    const study = db.prepare(
      `INSERT INTO "Study" (id, name, ownerId, status, config, createdAt, updatedAt) VALUES (?, ?, ?, 'live', ?, ?, ?)`,
    );
    study.run("study-mine", "Viewer's study", viewer.id, config("Viewer's study"), now, now);
    study.run("study-other", "Another study", "user-other", config("Another study"), now, now);
    const passage = db.prepare(
      `INSERT INTO "Passage" (id, source, externalId, title, text, license, createdAt) VALUES (?, 'bench', ?, ?, ?, 'bench', ?)`,
    );
    const question = db.prepare(
      `INSERT INTO "Question" (id, source, externalId, passageId, text, options, gold, license, createdAt) VALUES (?, 'bench', ?, ?, ?, ?, ?, 'bench', ?)`,
    );
    for (let q = 0; q < QUESTIONS; q++) {
      if (q % 4 === 0) passage.run(`p${q / 4}`, `p${q / 4}`, `Story ${q / 4}`, paragraph(random, 400), now);
      question.run(
        `q${q}`,
        `q${q}`,
        `p${Math.floor(q / 4)}`,
        `Question ${q}: ${sentence(random, 10)}`,
        JSON.stringify([sentence(random, 5), sentence(random, 5)]),
        q % 2,
        now,
      );
    }
    const match = db.prepare(
      `INSERT INTO "Match" (id, questionId, protocol, config, debaters, judgeId, judgeModel, status, createdAt, endedAt, studyId, condition, practice)
       VALUES (?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
    );
    const turn = db.prepare(
      `INSERT INTO "Turn" (id, matchId, round, speaker, option, text, quotes, model, latencyMs, meta, createdAt) VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?, '{}', ?)`,
    );
    const step = db.prepare(
      `INSERT INTO "JudgeStep" (id, matchId, round, probabilities, action, message, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const verdict = db.prepare(
      `INSERT INTO "Verdict" (id, matchId, probabilities, chosen, correct, score, explanation, rounds, timeTakenMs, createdAt) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
    );
    const tag = db.prepare(`INSERT INTO "MatchTag" (matchId, tag) VALUES (?, ?)`);
    for (let i = 0; i < TRANSCRIPTS; i++) {
      const id = `m${i}`;
      const studyId = i < 6_000 ? "study-mine" : i < 8_000 ? "study-other" : null;
      const consultancy = random() < 0.35;
      const protocol = consultancy ? "consultancy" : "debate";
      const q = Math.floor(random() * QUESTIONS);
      const gold = q % 2;
      const ai = random() < 0.3;
      const created = START + Math.floor(random() * 300 * DAY_MS);
      const seats = consultancy ? ["A"] : ["A", "B"];
      const models = seats.map(() => MODELS[Math.floor(random() * MODELS.length)] as string);
      const debaters = seats.map((seat, k) => ({ seat, option: (gold + k) % 2, model: models[k] }));
      const settled = random() < 0.95;
      match.run(
        id,
        `q${q}`,
        protocol,
        JSON.stringify(debaters),
        ai ? null : `judge-${Math.floor(random() * JUDGES)}`,
        ai ? AI_JUDGE : null,
        settled ? "complete" : "abandoned",
        iso(created),
        iso(created + 600_000),
        studyId,
        studyId ? protocol : null,
      );
      const rounds = 1 + Math.floor(random() * 3);
      for (let r = 1; r <= rounds; r++) {
        seats.forEach((seat, k) => {
          const words = 60 + Math.floor(random() * 120);
          turn.run(`${id}-t${r}${seat}`, id, r, seat, k, paragraph(random, words), models[k], 900, iso(created + r));
        });
        const message = random() < 0.3 ? `Debater ${random() < 0.5 ? "A" : "B"}, ${sentence(random, 12)}` : null;
        step.run(`${id}-s${r}`, id, r, "[0.5,0.5]", r === rounds ? "end" : "continue", message, iso(created + r));
      }
      if (settled) {
        const right = random() < 0.7;
        const chosen = right ? gold : 1 - gold;
        const confidence = (51 + Math.floor(random() * 49)) / 100;
        const p = chosen === 0 ? [confidence, 1 - confidence] : [1 - confidence, confidence];
        verdict.run(
          `${id}-v`,
          id,
          JSON.stringify(p),
          chosen,
          right ? 1 : 0,
          random() < 0.6 ? paragraph(random, 30) : null,
          rounds,
          60_000,
          iso(created + 600_000),
        );
      }
      if (i % 10 === 0) tag.run(id, i % 20 === 0 ? "in-paper" : "live-judge");
    }
  })();
  db.close();
  return { viewer };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * Times `run` REPEATS times after a warm-up: wall-clock, which the target is on, and this process's CPU time, the
 * work itself (SQLite runs in-process), which shows how much of the wall-clock was waiting for a busy machine.
 */
async function time(label: string, run: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARM_UP; i++) await run(i);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    const used = process.cpuUsage();
    await run(i);
    const spent = process.cpuUsage(used);
    wall.push(performance.now() - start);
    cpu.push((spent.user + spent.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const result = { p50: percentile(wall, 50), p95: percentile(wall, 95) };
  const pass = result.p95 < TARGET_P95_MS;
  console.log(
    `${label}: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms (target p95 < ${TARGET_P95_MS} ms): ` +
      `${pass ? "PASS" : "FAIL"}; CPU time p50 ${percentile(cpu, 50).toFixed(1)} ms, p95 ${percentile(cpu, 95).toFixed(1)} ms`,
  );
  return result;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "crux-bench-transcripts-"));
  const file = path.join(dir, "crux.db");
  try {
    await migrateDatabase({ url: `file:${file}` });
    let start = performance.now();
    const { viewer } = seed(file);
    console.log(
      `Seeded ${TRANSCRIPTS.toLocaleString("en")} transcripts (turns, judge steps, verdicts, full-text indexes) in ${((performance.now() - start) / 1000).toFixed(1)} s.`,
    );
    const db = createDb(`file:${file}`);
    start = performance.now();
    const first = await browseTranscripts(db, viewer, parseTranscriptFilters({ protocol: "debate", confMin: "80" }));
    console.log(
      `First list request (cold): ${(performance.now() - start).toFixed(0)} ms, ${first.list?.total.toLocaleString("en")} transcripts match.`,
    );
    const lists = [
      { protocol: "debate", confMin: "80" },
      { protocol: "debate", confMin: "70", page: "3" },
      { judgeKind: "human", outcome: "wrong" },
      { study: "study-mine", condition: "consultancy" },
    ];
    const list = await time("list, two filters", (i) =>
      browseTranscripts(db, viewer, parseTranscriptFilters(lists[i % lists.length] ?? {})),
    );
    // From common to rare: a common pair, a phrase, mid-frequency words, a rare word, a prefix.
    const queries = ["lantern gallery", '"the keeper"', "betrayal inheritance", RARE[2_000] ?? "", "telegra*"];
    const hits = await browseTranscripts(db, viewer, parseTranscriptFilters({ text: queries[0] }));
    console.log(`Search "${queries[0]}": ${hits.search?.total.toLocaleString("en")} hits.`);
    const search = await time("full-text search", (i) =>
      browseTranscripts(db, viewer, parseTranscriptFilters({ text: queries[i % queries.length] })),
    );
    const [load] = os.loadavg();
    console.log(`Load average ${load?.toFixed(1)} on ${os.availableParallelism()} cores during the run.`);
    await db.$disconnect();
    if (list.p95 >= TARGET_P95_MS || search.p95 >= TARGET_P95_MS) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run only as a script, not when a profiling session imports the seeding.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
