import { createHash } from "node:crypto";
import type { Db } from "../db/client";
import type { ParsedDebate } from "./parse-debates";

/** Passages, questions and judge users of imported debates: reused when the dataset has them, created otherwise. */

const hash = (text: string, length = 32) => createHash("sha256").update(text).digest("hex").slice(0, length);

/** A passage's id in its set: a hash of its text, so identical texts are stored once (as `crux import questions`). */
export const passageKey = (text: string) => `sha256-${hash(text)}`;

/** The question's id in the set: given, or a hash of what makes it the same question (as `crux import questions`). */
export function questionExternalId(debate: ParsedDebate): string {
  const { question, passage } = debate;
  const key = JSON.stringify([question.text, question.options[0], question.options[1], passage?.text ?? null]);
  return question.id ?? `h-${hash(key, 16)}`;
}

export async function savePassages(db: Db, source: string, debates: ParsedDebate[], license: string) {
  const wanted = new Map<string, { title: string; text: string }>();
  for (const { passage } of debates) {
    if (passage && !wanted.has(passageKey(passage.text)))
      wanted.set(passageKey(passage.text), { title: passage.title ?? "Untitled passage", text: passage.text });
  }
  const ids = new Map<string, string>();
  const known = await db.passage.findMany({
    where: { source, externalId: { in: [...wanted.keys()] } },
    select: { id: true, externalId: true },
  });
  for (const p of known) ids.set(p.externalId, p.id);
  let created = 0;
  for (const [externalId, p] of wanted) {
    if (ids.has(externalId)) continue;
    const row = await db.passage.create({
      data: { source, externalId, title: p.title, text: p.text, license },
      select: { id: true },
    });
    ids.set(externalId, row.id);
    created++;
  }
  return { ids, created };
}

export async function saveQuestions(
  db: Db,
  source: string,
  debates: ParsedDebate[],
  passageIds: Map<string, string>,
  license: string,
) {
  const ids = new Map<string, string>();
  const externalIds = [...new Set(debates.map(questionExternalId))];
  const known = await db.question.findMany({
    where: { source, externalId: { in: externalIds } },
    select: { id: true, externalId: true },
  });
  for (const q of known) ids.set(q.externalId, q.id);
  let created = 0;
  for (const debate of debates) {
    const externalId = questionExternalId(debate);
    if (ids.has(externalId)) continue;
    const row = await db.question.create({
      data: {
        source,
        externalId,
        passageId: debate.passage ? (passageIds.get(passageKey(debate.passage.text)) ?? null) : null,
        text: debate.question.text,
        options: debate.question.options,
        gold: debate.question.gold,
        tags: [],
        license,
      },
      select: { id: true },
    });
    ids.set(externalId, row.id);
    created++;
  }
  return { ids, created };
}

/** Judge users: one per external judge id, named `<dataset>:<id>`, role participant, no way to sign in. */
export function judgeUserName(dataset: string, judgeId: string): string {
  return `${dataset}:${judgeId}`;
}

export async function saveJudges(db: Db, dataset: string, debates: ParsedDebate[]) {
  const externalIds = [
    ...new Set(debates.flatMap((d) => (d.judge.kind === "human" && d.judge.id ? [d.judge.id] : []))),
  ];
  const ids = new Map<string, string>();
  const names = externalIds.map((id) => judgeUserName(dataset, id));
  for (let i = 0; i < names.length; i += 500) {
    const known = await db.user.findMany({
      where: { name: { in: names.slice(i, i + 500) }, role: "participant", email: null, passwordHash: null },
      select: { id: true, name: true },
      orderBy: { createdAt: "asc" },
    });
    for (const user of known) if (user.name && !ids.has(user.name)) ids.set(user.name, user.id);
  }
  let created = 0;
  const byExternal = new Map<string, string>();
  for (const externalId of externalIds) {
    const name = judgeUserName(dataset, externalId);
    let id = ids.get(name);
    if (!id) {
      id = (await db.user.create({ data: { name, role: "participant" }, select: { id: true } })).id;
      created++;
    }
    byExternal.set(externalId, id);
  }
  return { ids: byExternal, created };
}
