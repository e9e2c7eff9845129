import type { Db } from "../../lib/db/client";
import { asJson } from "../../lib/db/json";
import type { MatchView } from "../../lib/debate/view";
import { endMatchInDatabase } from "../../lib/studies/assignment";
import type { StudyConfigInput } from "../../lib/studies/config";
import { advanceParticipant, getParticipantView, joinStudy } from "../../lib/studies/participants";
import { createStudy, launchStudy } from "../../lib/studies/repository";
import { CookieJar } from "./auth";
import { connectJudge, request, waitForView } from "./client";

/**
 * Study fixtures: a small synthetic question set (several questions per story, as in QuALITY) and a launched study
 * over it, written straight to a test database.
 */

/** Creates `stories` passages with `perStory` two-option questions each in question set `source`. */
export async function createSyntheticSet(
  db: Db,
  options: { source: string; stories: number; perStory: number },
): Promise<void> {
  for (let s = 0; s < options.stories; s++) {
    const passage = await db.passage.create({
      data: {
        source: options.source,
        externalId: `${options.source}-story-${s}`,
        title: `Story ${s}`,
        text: `Story ${s}. The lighthouse keeper counted ${s + 3} ships before the storm. She wrote it in her log.`,
        license: "test fixture",
      },
    });
    for (let q = 0; q < options.perStory; q++) {
      await db.question.create({
        data: {
          source: options.source,
          externalId: `${options.source}-q-${s}-${q}`,
          passageId: passage.id,
          text: `How many ships did the keeper count (story ${s}, question ${q})?`,
          options: [`${s + 3} ships`, `${s + 4} ships`],
          gold: (s + q) % 2 === 0 ? 0 : 1,
          tags: q === 0 ? ["first"] : [],
          license: "test fixture",
        },
      });
    }
  }
}

/** A researcher who owns test studies. */
export async function createResearcher(db: Db, email = `researcher-${Date.now()}-${Math.random()}@example.org`) {
  return db.user.create({ data: { role: "researcher", email } });
}

/** Creates and launches a study; returns its id and version. */
export async function createLaunchedStudy(db: Db, ownerId: string, config: StudyConfigInput) {
  const study = await createStudy(db, { ownerId, config });
  const version = await launchStudy(db, study.id);
  return { studyId: study.id, version };
}

/**
 * Follows a study link as a new browser (from its own address `ip`, sent as X-Forwarded-For: start the server with
 * CRUX_TRUST_PROXY=1) and returns the participant it made, with the session cookie.
 */
export async function joinByLink(db: Db, baseUrl: string, studyId: string, query: string, ip: string) {
  const jar = new CookieJar();
  const response = await fetch(`${baseUrl}/join/${studyId}${query}`, {
    redirect: "manual",
    headers: { "x-forwarded-for": ip },
  });
  jar.absorb(response);
  if (response.status !== 303) throw new Error(`study link answered ${response.status}`);
  const participant = await db.participant.findFirstOrThrow({ where: { studyId }, orderBy: { createdAt: "desc" } });
  return { participant, cookie: jar.header() };
}

/** Plays a one-round match to the verdict over socket.io as its judge; `probabilities` sees the judge's view. */
export async function judgeOneRound(
  baseUrl: string,
  cookie: string,
  matchId: string,
  probabilities: number[],
): Promise<MatchView> {
  const judge = await connectJudge(baseUrl, cookie);
  try {
    const joined = await request(judge, "match:join", { matchId });
    if (!joined.ok) throw new Error(`match:join refused: ${joined.error.message}`);
    const view =
      joined.data.phase.kind === "judge" ? joined.data : await waitForView(judge, (v) => v.phase.kind === "judge");
    if (view.phase.kind !== "judge") throw new Error("not the judge's turn");
    const final = await request(judge, "judge:step", {
      matchId,
      round: view.phase.round,
      probabilities,
      action: "end",
    });
    if (!final.ok) throw new Error(`verdict refused: ${final.error.message}`);
    return final.data;
  } finally {
    judge.socket.disconnect();
  }
}

/**
 * Takes a participant who has just joined through consent and the instructions (a design without a check or
 * practice), every assigned one-round match — judged with `probabilities(gold)` — and an empty survey, to done.
 */
export async function completeStudy(
  db: Db,
  baseUrl: string,
  joined: { participant: { id: string; userId: string; studyId: string }; cookie: string },
  probabilities: (gold: number) => number[],
): Promise<void> {
  const { participant, cookie } = joined;
  const advance = (intent: Parameters<typeof advanceParticipant>[3]) =>
    advanceParticipant(db, participant.userId, participant.studyId, intent, { endMatch: endMatchInDatabase(db) });
  await advance({ step: "consent", agree: true });
  await advance({ step: "instructions" });
  for (;;) {
    const { stage } = await db.participant.findUniqueOrThrow({ where: { id: participant.id } });
    if (stage === "survey") await advance({ step: "survey", answers: {} });
    if (stage !== "matches") break;
    const slot = await db.slot.findFirstOrThrow({ where: { participantId: participant.id, status: "assigned" } });
    const match = await db.match.findUniqueOrThrow({ where: { id: slot.matchId ?? "" }, include: { question: true } });
    await judgeOneRound(baseUrl, cookie, match.id, probabilities(match.question.gold));
    await advance({ step: "next" });
  }
}

/**
 * A participant who arrives by a Prolific link and goes through the study with the participant module's own steps:
 * consent, instructions, each of `checks` as a comprehension-check submission, then each match they are given
 * settled with a verdict for option 0 (written as a finished match would leave it), then the survey. Stops early
 * when a step ends the study for them (a failed check). Returns the participant's id and user id.
 */
export async function takeStudy(
  db: Db,
  studyId: string,
  input: {
    pid: string;
    session?: string;
    checks?: number[][];
    survey?: Record<string, string | number>;
  },
): Promise<{ participantId: string; userId: string }> {
  const joined = await joinStudy(db, {
    studyId,
    external: {
      PROLIFIC_PID: input.pid,
      STUDY_ID: `study-of-${studyId}`,
      SESSION_ID: input.session ?? `s-${input.pid}`,
    },
    current: null,
  });
  const options = { endMatch: endMatchInDatabase(db) };
  const step = (intent: Parameters<typeof advanceParticipant>[3]) =>
    advanceParticipant(db, joined.userId, studyId, intent, options);
  const view = async () => {
    const user = { id: joined.userId, role: "participant" as const, name: null, email: null };
    const current = await getParticipantView(db, user, studyId);
    if (!current) throw new Error("not a participant");
    return current;
  };
  await step({ step: "consent", agree: true });
  await step({ step: "instructions" });
  for (const answers of input.checks ?? []) {
    if ((await view()).stage !== "check") break;
    await step({ step: "check", answers });
  }
  for (let current = await view(); current.stage === "matches"; current = await view()) {
    if (current.current) await settleWithVerdict(db, current.current.matchId);
    await step({ step: "next" });
  }
  if ((await view()).stage === "survey") await step({ step: "survey", answers: input.survey ?? {} });
  return joined;
}

async function settleWithVerdict(db: Db, matchId: string): Promise<void> {
  const match = await db.match.findUniqueOrThrow({ where: { id: matchId }, include: { question: true } });
  await db.turn.createMany({
    data: [0, 1].map((option) => ({
      matchId,
      round: 1,
      speaker: option === 0 ? "A" : "B",
      option,
      text: `Option ${option} is right.`,
      quotes: asJson([]),
      model: "offline:extractive",
      latencyMs: 5,
    })),
  });
  await db.judgeStep.create({ data: { matchId, round: 1, probabilities: asJson([0.7, 0.3]), action: "end" } });
  await db.verdict.create({
    data: {
      matchId,
      probabilities: asJson([0.7, 0.3]),
      chosen: 0,
      correct: match.question.gold === 0,
      score: Math.log(match.question.gold === 0 ? 0.7 : 0.3),
      rounds: 1,
      timeTakenMs: 1000,
    },
  });
  await db.match.update({ where: { id: matchId }, data: { status: "complete", endedAt: new Date() } });
}
