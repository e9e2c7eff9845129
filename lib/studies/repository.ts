import { hasRole, type SessionUser } from "../auth/roles";
import type { Db } from "../db/client";
import { asJson } from "../db/json";
import { CruxError } from "../errors";
import { checkModelSpec } from "../models/check-spec";
import type { ProvidersConfig } from "../models/providers/config";
import { serverProviders } from "../models/runtime";
import { storedStringsSchema } from "../questions/schema";
import { hashSeed, mulberry32, shuffle } from "../random";
import {
  describeIssues,
  designSpecs,
  type FrozenStudy,
  frozenStudySchema,
  isRecordedCondition,
  parseStudyDesign,
  type StudyConfig,
  studyConfigSchema,
} from "./config";
import { describeStudyIssue, questionCountProblem } from "./config-messages";
import { configHash, planStudy } from "./plan";
import { drawRecordedSources, loadPlanSources } from "./recorded-sources";
import { type SettableStudyStatus, type StudyStatus, studyStatusSchema } from "./vocabulary";

/**
 * Studies as data: create and edit the draft design, launch (freeze a version, resolve its questions and
 * materialise its slots), and the one access rule — admins see every study, researchers the studies they own or
 * were added to, nobody else any.
 */

export interface StudySummary {
  id: string;
  name: string;
  status: StudyStatus;
  ownerId: string;
  currentVersionId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StudyDetail extends StudySummary {
  config: StudyConfig;
  ownerEmail: string | null;
  members: Array<{ id: string; email: string | null; name: string | null }>;
  versions: Array<{ id: string; version: number; configHash: string; createdAt: Date }>;
}

const summaryFields = {
  id: true,
  name: true,
  status: true,
  ownerId: true,
  currentVersionId: true,
  createdAt: true,
  updatedAt: true,
} as const;

function toSummary<T extends { status: string }>(row: T): T & { status: StudyStatus } {
  const status = studyStatusSchema.catch("closed").parse(row.status);
  return { ...row, status };
}

/**
 * A design refused for what the database says (more questions than the set has): each problem at the field it
 * concerns, as the design form shows it. The message lists them all, for the CLI and the API.
 */
export class StudyDesignError extends CruxError {
  constructor(readonly issues: { path: (string | number)[]; message: string }[]) {
    super("BAD_REQUEST", `Invalid study design — ${issues.map((issue) => describeStudyIssue(issue)).join("; ")}`);
    this.name = "StudyDesignError";
  }
}

/**
 * The number of questions the design asks for, checked against its set (after the tag filter) as soon as it is
 * saved, not only at launch. A set this server does not hold yet is left to launch, which refuses it.
 */
async function checkQuestionCount(db: Db, config: StudyConfig): Promise<void> {
  const pool = config.questions;
  if (pool.ids || !usesQuestionPool(config)) return;
  const rows = await db.question.findMany({ where: { source: pool.source }, select: { tags: true } });
  if (rows.length === 0) return;
  const available = rows.filter((row) => {
    const tags = storedStringsSchema.catch([]).parse(row.tags);
    return pool.tags.every((tag) => tags.includes(tag));
  }).length;
  const message = questionCountProblem({ source: pool.source, available, wanted: pool.count, tags: pool.tags });
  if (message) throw new StudyDesignError([{ path: ["questions", "count"], message }]);
}

/** Creates a draft study owned by `ownerId`; the config is validated here whatever the caller. */
export async function createStudy(db: Db, input: { ownerId: string; config: unknown }): Promise<{ id: string }> {
  const config = parseConfig(input.config);
  await checkQuestionCount(db, config);
  return db.study.create({
    data: { name: config.name, ownerId: input.ownerId, config: asJson(config) },
    select: { id: true },
  });
}

/** Replaces the draft design. A live study keeps running its launched version until it is launched again. */
export async function updateStudyConfig(db: Db, studyId: string, input: unknown): Promise<void> {
  const config = parseConfig(input);
  await checkQuestionCount(db, config);
  await db.study.update({ where: { id: studyId }, data: { name: config.name, config: asJson(config) } });
}

function parseConfig(input: unknown): StudyConfig {
  const parsed = parseStudyDesign(input);
  if (!parsed.success) {
    throw new CruxError("BAD_REQUEST", `Invalid study design — ${describeIssues(parsed.error)[0] ?? "not valid"}`);
  }
  return parsed.data;
}

/** True when `user` may see and run the study (admin, owner, or added researcher). */
export function canAccessStudy(
  user: SessionUser | null,
  study: { ownerId: string; memberIds: readonly string[] },
): boolean {
  if (!user) return false;
  if (hasRole(user, "admin")) return true;
  if (!hasRole(user, "researcher")) return false;
  return study.ownerId === user.id || study.memberIds.includes(user.id);
}

/** Studies `user` may see, newest first. */
export async function listStudiesFor(db: Db, user: SessionUser): Promise<StudySummary[]> {
  if (!hasRole(user, "researcher")) return [];
  const where = hasRole(user, "admin")
    ? {}
    : { OR: [{ ownerId: user.id }, { members: { some: { userId: user.id } } }] };
  const rows = await db.study.findMany({ where, select: summaryFields, orderBy: { createdAt: "desc" } });
  return rows.map(toSummary);
}

/** Every study, oldest first (the command line, which acts for the operator, not for a user). */
export async function listAllStudies(db: Db): Promise<StudySummary[]> {
  const rows = await db.study.findMany({ select: summaryFields, orderBy: { createdAt: "asc" } });
  return rows.map(toSummary);
}

/** True when there is a study with this id. */
export async function studyExists(db: Db, studyId: string): Promise<boolean> {
  return Boolean(await db.study.findUnique({ where: { id: studyId }, select: { id: true } }));
}

/** The study if `user` may see it: NOT_FOUND when there is none, FORBIDDEN when it is not theirs. */
export async function getStudyFor(db: Db, user: SessionUser | null, studyId: string): Promise<StudyDetail> {
  const row = await db.study.findUnique({
    where: { id: studyId },
    select: {
      ...summaryFields,
      config: true,
      owner: { select: { email: true } },
      members: { select: { user: { select: { id: true, email: true, name: true } } } },
      versions: { select: { id: true, version: true, configHash: true, createdAt: true }, orderBy: { version: "asc" } },
    },
  });
  if (!row) throw new CruxError("NOT_FOUND", "No such study.");
  const members = row.members.map((m) => m.user);
  if (!canAccessStudy(user, { ownerId: row.ownerId, memberIds: members.map((m) => m.id) }))
    throw new CruxError("FORBIDDEN", "This study is not yours: ask its owner to add you.");
  const { owner, config, ...rest } = row;
  return { ...toSummary(rest), config: studyConfigSchema.parse(config), ownerEmail: owner.email, members };
}

/** Adds a researcher (by email) to a study. */
export async function addStudyMember(db: Db, studyId: string, email: string): Promise<void> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user || !hasRole(user, "researcher"))
    throw new CruxError("BAD_REQUEST", `No researcher account with the email ${email}.`);
  await db.studyMember.upsert({
    where: { studyId_userId: { studyId, userId: user.id } },
    create: { studyId, userId: user.id },
    update: {},
  });
}

export async function setStudyStatus(db: Db, studyId: string, status: SettableStudyStatus): Promise<void> {
  const study = await db.study.findUnique({ where: { id: studyId }, select: { currentVersionId: true, status: true } });
  if (!study) throw new CruxError("NOT_FOUND", "No such study.");
  if (study.status === "imported") throw new CruxError("CONFLICT", "An imported dataset cannot take participants.");
  if (status === "live" && !study.currentVersionId) throw new CruxError("CONFLICT", "Launch the study first.");
  await db.study.update({ where: { id: studyId }, data: { status } });
}

/** A version as the rest of the app uses it. */
export interface StudyVersionRecord {
  id: string;
  studyId: string;
  version: number;
  configHash: string;
  frozen: FrozenStudy;
}

export async function getStudyVersion(db: Db, versionId: string): Promise<StudyVersionRecord> {
  const row = await db.studyVersion.findUnique({ where: { id: versionId } });
  if (!row) throw new CruxError("NOT_FOUND", "No such study version.");
  return { ...row, frozen: frozenStudySchema.parse(row.config) };
}

/**
 * Launches the draft: resolves its questions, freezes config + questions as a new version (hash stored), creates
 * its slots and makes it the version new participants join. Launching an unchanged design again returns the
 * current version instead of making a new one (`unchanged`). Fails with a readable message when the pool cannot be
 * filled, or when a debater or judge cannot be called from this server (`providers`: this server's settings).
 */
export async function launchStudy(
  db: Db,
  studyId: string,
  options: { providers?: ProvidersConfig } = {},
): Promise<StudyVersionRecord & { slots: number; unchanged: boolean }> {
  const study = await db.study.findUnique({ where: { id: studyId } });
  if (!study) throw new CruxError("NOT_FOUND", "No such study.");
  if (study.status === "imported") throw new CruxError("CONFLICT", "An imported dataset cannot be launched.");
  const config = studyConfigSchema.parse(study.config);
  assertModelsCallable(config, options.providers ?? serverProviders());
  const { questionIds, practiceQuestionId, qualificationQuestionIds, stories } = usesQuestionPool(config)
    ? await resolveQuestions(db, config)
    : { questionIds: [], practiceQuestionId: null, qualificationQuestionIds: [], stories: [] };
  const recordedSources = await drawRecordedSources(db, studyId, config);
  const frozen = frozenStudySchema.parse({
    config,
    questionIds,
    practiceQuestionId,
    qualificationQuestionIds,
    recordedSources,
  });
  const hash = configHash(frozen);
  if (study.currentVersionId) {
    const current = await getStudyVersion(db, study.currentVersionId);
    if (current.configHash === hash) {
      if (study.status !== "live") await db.study.update({ where: { id: studyId }, data: { status: "live" } });
      const slots = await db.slot.count({ where: { versionId: current.id } });
      return { ...current, slots, unchanged: true };
    }
  }
  const plan = planStudy(frozen, stories, await loadPlanSources(db, frozen));
  return db.$transaction(async (tx) => {
    const last = await tx.studyVersion.findFirst({ where: { studyId }, orderBy: { version: "desc" } });
    const version = await tx.studyVersion.create({
      data: { studyId, version: (last?.version ?? 0) + 1, config: asJson(frozen), configHash: hash },
    });
    await tx.slot.createMany({
      data: plan.map((item) => ({
        versionId: version.id,
        questionId: item.questionId,
        storyKey: item.storyKey,
        condition: item.condition,
        replicate: item.replicate,
        balance: asJson(item.balance),
        rank: item.rank,
      })),
    });
    await tx.study.update({ where: { id: studyId }, data: { status: "live", currentVersionId: version.id } });
    return { ...version, frozen, slots: plan.length, unchanged: false };
  });
}

/** Whether the design draws questions from its pool: only live conditions do (recorded ones replay their sources). */
function usesQuestionPool(config: StudyConfig): boolean {
  return config.conditions.some((c) => !isRecordedCondition(c));
}

/**
 * The models of a design that this server cannot call (unknown, or a provider that is not configured here), as
 * "Condition 1 – debaters: `openai:gpt-4o` — OPENAI_API_KEY is not set on this server". Empty when all can be called.
 */
export function studyModelProblems(config: StudyConfig, providers: ProvidersConfig): string[] {
  return designSpecs(config.conditions).flatMap(({ path, spec, kind }) => {
    const reason = checkModelSpec(spec, kind, { providers });
    return reason ? [describeStudyIssue({ path, message: reason })] : [];
  });
}

/** Refuses a design with a model this server cannot call, listing every such spec and why. */
export function assertModelsCallable(config: StudyConfig, providers: ProvidersConfig): void {
  const problems = studyModelProblems(config, providers);
  if (problems.length)
    throw new CruxError("BAD_REQUEST", `Cannot use this design's models here — ${problems.join("; ")}.`);
}

/**
 * The pool: questions of the source carrying every requested tag (or the listed ids), drawn with the seed one
 * story at a time — a first question from each story before a second from any — because a judge may see each
 * story only once, so spreading the pool over stories is what lets judges do several matches.
 */
async function resolveQuestions(db: Db, config: StudyConfig) {
  const pool = config.questions;
  const rows = await db.question.findMany({
    where: { source: pool.source, ...(pool.ids ? { externalId: { in: pool.ids } } : {}) },
    select: { id: true, externalId: true, passageId: true, tags: true },
    orderBy: { externalId: "asc" },
  });
  const tagged = rows.filter((row) => {
    const tags = storedStringsSchema.catch([]).parse(row.tags);
    return pool.tags.every((tag) => tags.includes(tag));
  });
  const storyOf = (row: { id: string; passageId: string | null }) => row.passageId ?? row.id;
  if (pool.ids) {
    const found = new Set(rows.map((r) => r.externalId));
    const missing = pool.ids.filter((id) => !found.has(id));
    if (missing.length)
      throw new CruxError("BAD_REQUEST", `Questions not found in "${pool.source}": ${missing.slice(0, 5).join(", ")}`);
  }
  const wanted = pool.ids ? pool.ids.length : pool.count;
  if (tagged.length < wanted) {
    const filter = pool.tags.length ? ` with tags ${pool.tags.join(", ")}` : "";
    throw new CruxError(
      "BAD_REQUEST",
      `The set "${pool.source}" has ${tagged.length} questions${filter}; the study asks for ${wanted}.`,
    );
  }
  const random = mulberry32(hashSeed("questions", pool.seed));
  const byStory = new Map<string, typeof tagged>();
  for (const row of tagged) byStory.set(storyOf(row), [...(byStory.get(storyOf(row)) ?? []), row]);
  const storyOrder = shuffle([...byStory.keys()], random);
  for (const key of storyOrder) byStory.set(key, shuffle(byStory.get(key) ?? [], random));
  const chosen: typeof tagged = [];
  if (pool.ids) {
    const byExternal = new Map(tagged.map((r) => [r.externalId, r]));
    for (const id of pool.ids) {
      const row = byExternal.get(id);
      if (row) chosen.push(row);
    }
  } else {
    for (let depth = 0; chosen.length < wanted; depth++) {
      for (const key of storyOrder) {
        const row = byStory.get(key)?.[depth];
        if (row && chosen.length < wanted) chosen.push(row);
      }
    }
  }
  const chosenStories = new Set(chosen.map(storyOf));
  let practiceQuestionId: string | null = null;
  if (config.practice) {
    const outside = rows.find((r) => !chosenStories.has(storyOf(r))) ?? rows.find((r) => !chosen.includes(r));
    if (!outside)
      throw new CruxError("BAD_REQUEST", "Practice needs a question outside the study's pool: the set has none left.");
    practiceQuestionId = outside.id;
  }
  const qualificationQuestionIds = pickOutside(rows, config.qualification.matches, {
    stories: new Set([...chosenStories, ...rows.filter((r) => r.id === practiceQuestionId).map(storyOf)]),
    storyOf,
    taken: new Set([...chosen.map((r) => r.id), ...(practiceQuestionId ? [practiceQuestionId] : [])]),
  });
  return {
    questionIds: chosen.map((r) => r.id),
    practiceQuestionId,
    qualificationQuestionIds,
    stories: chosen.map((r) => ({ id: r.id, storyKey: storyOf(r) })),
  };
}

/**
 * `count` questions for the qualification block: outside the pool and the practice question, one per story and
 * from stories the pool does not use when the set has enough of them (a judge should not meet a story twice), in
 * the set's order so a design always gets the same ones.
 */
function pickOutside<Row extends { id: string; passageId: string | null }>(
  rows: readonly Row[],
  count: number,
  avoid: { stories: ReadonlySet<string>; storyOf: (row: Row) => string; taken: ReadonlySet<string> },
): string[] {
  if (count === 0) return [];
  const free = rows.filter((r) => !avoid.taken.has(r.id));
  const picked: Row[] = [];
  const used = new Set(avoid.stories);
  for (const row of free) {
    if (picked.length < count && !used.has(avoid.storyOf(row))) {
      picked.push(row);
      used.add(avoid.storyOf(row));
    }
  }
  for (const row of free) if (picked.length < count && !picked.includes(row)) picked.push(row);
  if (picked.length < count)
    throw new CruxError(
      "BAD_REQUEST",
      `The qualification needs ${count} questions outside the study's pool: the set has ${picked.length} left.`,
    );
  return picked.map((r) => r.id);
}
