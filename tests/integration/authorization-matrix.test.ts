import fs from "node:fs";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AuditAction } from "../../lib/auth/audit";
import { getUserBySessionToken } from "../../lib/auth/guest";
import { createDb, type Db } from "../../lib/db/client";
import { createDebateMatch } from "../../lib/matches/create";
import { PROTOCOL_VERSION } from "../../lib/realtime/protocol";
import { endMatchInDatabase } from "../../lib/studies/assignment";
import { advanceParticipant, type ExternalIds, joinStudy } from "../../lib/studies/participants";
import { createStudy, launchStudy } from "../../lib/studies/repository";
import {
  type ActionResult,
  callAction,
  formData,
  listServerActions,
  pageServes,
  type ServerAction,
} from "../support/actions";
import { authCallback, CookieJar, getPage } from "../support/auth";
import { connectJudge, createGuestMatch, request } from "../support/client";
import { type RunningServer, startServer } from "../support/server";

/**
 * The authorization matrix: every page, route handler, server action and socket event, tried as every kind of user,
 * checked against one table. The table must name every page and route file under app/, every server action the
 * production build exposes (its server-reference-manifest.json, as `file#export`) and every client event of the
 * realtime protocol, so adding one without deciding who may use it fails this test.
 * Actions are called as the browser calls them: a POST to a page that uses the action, with its id in `Next-Action`
 * and the arguments encoded by React's Flight client (tests/support/actions.ts). An allowed call must succeed and
 * have its effect (checked in the database); a refused one is sent to sign in (by the proxy or requireRole) or gets
 * the action's failure message, and changes nothing. Actions that end or replace the caller's session get a caller
 * made for the case; actions that change or remove something act on objects made for the case.
 */

/**
 * Kinds of user: `participant` takes part in the live study `:live`; `otherParticipant` in another study;
 * `outsider` is a researcher who is not on the researcher's study `:study`.
 */
const ROLES = [
  "anonymous",
  "guest",
  "judge",
  "player",
  "participant",
  "otherParticipant",
  "researcher",
  "outsider",
  "admin",
] as const;
type Role = (typeof ROLES)[number];
/**
 * How a request may end: served, sent to sign in, refused, or (sockets) an error code. Actions: `ok` (succeeded,
 * with its effect), `signin`, `refused` (a failure message returned), `noop` (accepted, with nothing to do), `429`
 * (past a rate limit: sent back to the page with the wait, nothing done).
 */
type Outcome =
  | "ok"
  | "signin"
  | "notice"
  | "refused"
  | "noop"
  | "401"
  | "403"
  | "404"
  | "303"
  | "409"
  | "429"
  | "NOT_AUTHENTICATED"
  | "FORBIDDEN"
  | "RATE_LIMITED";

interface RequestRow {
  /** The file (pages and routes) or event it covers. */
  covers: string;
  /**
   * What to request; `:match` stands for a play match judged by the "judge" user, `:judgedMatch` an unsettled match
   * judged by "researcher", `:study` a draft study of "researcher", `:live` the live study "participant" takes part
   * in, `:pid` the PROLIFIC_PID "participant" joined it with, `:peerMatch` the match of another participant of
   * `:live`. A socket row's target is the event, optionally followed by the match (default `:match`).
   */
  target: string;
  kind: "page" | "api" | "socket";
  expect: Record<Role, Outcome>;
  /** API rows: send this many requests to `/join` from the case's client IP first (to be past its rate limit). */
  exhaustJoinLimit?: boolean;
  /** Start matches first, to be past the per-IP or per-user match-start limit (see {@link MatchStartLimit}). */
  exhaustMatchStarts?: MatchStartLimit;
  /** What the response body must say, by role (for refusals that differ by reason). */
  says?: Partial<Record<Role, RegExp>>;
}

/** A caller: their cookies and user (none when anonymous). */
interface Caller {
  cookie: string;
  userId: string | null;
}

/** What an action row gets to prepare a case. */
interface ActionContext {
  db: Db;
  role: Role;
  caller: Caller;
  /** Owner of `:study` and of the studies made for cases. */
  researcherId: string;
  liveStudyId: string;
  /** An account with PASSWORD, for the sign-in action. */
  signInEmail: string;
  /** Fetches a page as the shared admin (for checks of what the admin pages offer). */
  pageAsAdmin: (target: string) => Promise<{ status: number; html: string }>;
}

interface ActionCall {
  /** The study the case acts on, for `:study` in the target (default: the shared `:study`). */
  studyId?: string;
  /** The match the case acts on, for `:transcript` in the target. */
  matchId?: string;
  args: unknown[];
  /** Checks the effect when the call was to succeed (`done`), else that nothing changed. */
  check?: (done: boolean, response: ActionResult) => Promise<void>;
}

interface ActionRow {
  /** `file#export`, as the build's server-reference-manifest.json names the action. */
  covers: string;
  /** The page the browser calls it from (`:study`, `:live` as above). */
  target: string;
  kind: "action";
  /** The action ends or replaces the caller's session: each case gets a caller of that kind made for it. */
  fresh?: boolean;
  call: (context: ActionContext) => Promise<ActionCall>;
  /** Where a successful call redirects. */
  redirect?: RegExp;
  /** The message of a refused call, by role. */
  refusal?: Partial<Record<Role, RegExp>>;
  /** Start matches first, to be past the per-IP or per-user match-start limit (see {@link MatchStartLimit}). */
  exhaustMatchStarts?: MatchStartLimit;
  expect: Record<Role, Outcome>;
}

/**
 * Which match-start limit a case goes past before its request: `ip`, the case's own client address (matches started
 * there by new guests); `user`, the caller's (a caller made for the case, its matches started from other addresses).
 */
type MatchStartLimit = "ip" | "user";

type Row = RequestRow | ActionRow;

const all = (outcome: Outcome): Record<Role, Outcome> =>
  Object.fromEntries(ROLES.map((role) => [role, outcome])) as Record<Role, Outcome>;

const PASSWORD = "correct horse battery";
/** Study-link requests per client IP on the matrix's server (`CRUX_JOIN_LIMIT_PER_IP`). */
const JOIN_LIMIT = 3;
/** The PROLIFIC_PID and SESSION_ID the "participant" joined `:live` with. */
const PARTICIPANT_PID = "matrix-returning";
/** Socket limits of the matrix's server: low enough for a row to go past them, above what other rows use. */
const SOCKET_LIMITS = { CRUX_SOCKETS_PER_USER: "4", CRUX_SOCKET_EVENTS_PER_USER: "30" };
/**
 * Match starts per client IP and per user on the matrix's server: low, for rows to go past them. Every case starts
 * its matches from an address of its own; the shared callers start at most 3 each (made, Play, POST /api/matches).
 */
const MATCH_STARTS = { PER_IP: 3, PER_USER: 5 };
/** Where a start past the limit sends the Play action. */
const BUSY_REDIRECT = /^\/\?error=busy&wait=\d+$/;
let serial = 0;
/** A name no other case uses. */
const unique = (prefix: string) => `${prefix}-${Date.now()}-${++serial}`;

const LIVE_DESIGN = {
  name: "Matrix live",
  questions: { count: 2 },
  conditions: [{ name: "naive", protocol: "naive" }],
};

/** A draft study of `ownerId` (launchable), made for one case. */
async function draftStudy(db: Db, ownerId: string): Promise<string> {
  return (await createStudy(db, { ownerId, config: { ...LIVE_DESIGN, name: unique("Matrix draft") } })).id;
}

async function liveStudy(db: Db, ownerId: string): Promise<string> {
  const studyId = await draftStudy(db, ownerId);
  await launchStudy(db, studyId);
  return studyId;
}

/** A new participant of the live `studyId` who consented and read the instructions, so holds a slot and its match. */
async function newParticipantWithMatch(db: Db, studyId: string) {
  const joined = await joinStudy(db, { studyId, external: {}, current: null });
  const options = { endMatch: endMatchInDatabase(db) };
  await advanceParticipant(db, joined.userId, studyId, { step: "consent", agree: true }, options);
  await advanceParticipant(db, joined.userId, studyId, { step: "instructions" }, options);
  const slot = await db.slot.findFirstOrThrow({ where: { participantId: joined.participantId, status: "assigned" } });
  if (!slot.matchId) throw new Error("the participant's slot has no match");
  return { participantId: joined.participantId, slotId: slot.id, matchId: slot.matchId };
}

/** A live study with a participant who holds a slot and its match. */
async function heldMatch(db: Db, ownerId: string) {
  const studyId = await liveStudy(db, ownerId);
  return { studyId, ...(await newParticipantWithMatch(db, studyId)) };
}

/** Checks the audit log holds one entry for `action` on `target` when the action was done, and none otherwise. */
async function expectAudited(db: Db, done: boolean, action: AuditAction, target: string, actorId?: string | null) {
  const entries = await db.auditLog.findMany({ where: { action, target } });
  expect(entries, `audit entries for ${action} ${target}`).toHaveLength(done ? 1 : 0);
  if (done && actorId) expect(entries[0]?.actorId).toBe(actorId);
}

/** The leaderboard setting on /me: anyone playing (guest or account), but not study participants. */
const LEADERBOARD_ACTION: Pick<ActionRow, "expect" | "refusal"> = {
  expect: { ...all("ok"), anonymous: "refused", participant: "refused", otherParticipant: "refused" },
  refusal: {
    anonymous: /Play a game first/,
    participant: /Study participants/,
    otherParticipant: /Study participants/,
  },
};

/** Study page and monitor actions: researchers with access; a researcher not on the study is told so. */
const STUDY_ACTION: Pick<ActionRow, "expect" | "refusal"> = {
  expect: { ...all("signin"), researcher: "ok", admin: "ok", outsider: "refused" },
  refusal: { outsider: /This study is not yours/ },
};

/**
 * Annotating a transcript: an account (else sign in; guests and study participants too), then the transcript's own
 * rule — a researcher on its study or an admin; the researcher is the author of what is deleted.
 */
const TRANSCRIPT_ACTION: Pick<ActionRow, "expect" | "refusal"> = {
  expect: { ...all("signin"), player: "refused", researcher: "ok", admin: "ok", outsider: "refused" },
  refusal: { player: /Only researchers/, outsider: /study that is not yours/ },
};

/** "Play" for a case past a match-start limit: a match only when allowed; a refused visitor gets no guest either. */
async function playPastLimit({ db, caller }: ActionContext): Promise<ActionCall> {
  const judged = () => db.match.count({ where: { judgeId: caller.userId ?? "" } });
  const before = await judged();
  return {
    args: [formData({ protocol: "debate" })],
    check: async (done, response) => {
      if (caller.userId) expect(await judged()).toBe(before + (done ? 1 : 0));
      else expect(response.setCookies.some((line) => line.startsWith("crux_session="))).toBe(done);
    },
  };
}

const MATRIX: Row[] = [
  { covers: "app/page.tsx", target: "/", kind: "page", expect: all("ok") },
  { covers: "app/signin/page.tsx", target: "/signin", kind: "page", expect: all("ok") },
  { covers: "app/signup/page.tsx", target: "/signup", kind: "page", expect: all("ok") },
  // The record (empty for visitors without a session), the leaderboard (nicknames only) and the data's credits.
  { covers: "app/me/page.tsx", target: "/me", kind: "page", expect: all("ok") },
  { covers: "app/leaderboard/page.tsx", target: "/leaderboard", kind: "page", expect: all("ok") },
  { covers: "app/about/data/page.tsx", target: "/about/data", kind: "page", expect: all("ok") },
  {
    covers: "app/account/page.tsx",
    target: "/account",
    kind: "page",
    expect: { ...all("ok"), anonymous: "signin", guest: "signin", judge: "signin" },
  },
  {
    covers: "app/admin/users/page.tsx",
    target: "/admin/users",
    kind: "page",
    expect: { ...all("signin"), admin: "ok" },
  },
  {
    covers: "app/admin/audit/page.tsx",
    target: "/admin/audit",
    kind: "page",
    expect: { ...all("signin"), admin: "ok" },
  },
  {
    // Everyone gets a page; only the judge gets the room, the others a notice and no match data.
    covers: "app/match/[id]/page.tsx",
    target: "/match/:match",
    kind: "page",
    expect: { ...all("notice"), judge: "ok" },
  },
  {
    covers: "app/observe/[id]/page.tsx",
    target: "/observe/:match",
    kind: "page",
    // A play match (no study): any researcher may watch; study matches need the study (transcripts.test.ts).
    expect: { ...all("signin"), researcher: "ok", outsider: "ok", admin: "ok" },
  },
  {
    // Another participant's study match: its page is theirs alone (the participant of the same study included).
    covers: "app/match/[id]/page.tsx",
    target: "/match/:peerMatch",
    kind: "page",
    expect: all("notice"),
  },
  {
    // Watching it: researchers on the study (and admins) only.
    covers: "app/observe/[id]/page.tsx",
    target: "/observe/:peerMatch",
    kind: "page",
    expect: { ...all("signin"), researcher: "ok", outsider: "notice", admin: "ok" },
  },
  {
    // A match the researcher judges, not yet settled: not for their eyes as an observer (story and answer).
    covers: "app/observe/[id]/page.tsx",
    target: "/observe/:judgedMatch",
    kind: "page",
    expect: { ...all("signin"), researcher: "notice", outsider: "ok", admin: "ok" },
  },
  {
    // Study pages show only the visitor's own participation: anyone else gets a notice, no data.
    covers: "app/participate/[studyId]/page.tsx",
    target: "/participate/:live",
    kind: "page",
    expect: { ...all("notice"), participant: "ok" },
  },
  {
    // Study links are public: never sent to sign in; an unknown study is a 404 whoever follows it (the study is
    // looked up before the account check). Joining real studies: tests/integration/participant-flow.test.ts.
    covers: "app/join/[studyId]/route.ts",
    target: "/join/no-such-study?PROLIFIC_PID=matrix1",
    kind: "api",
    expect: all("404"),
  },
  {
    // A Prolific id someone else holds, from another browser (no SESSION_ID): only the browser holding that
    // participant's session is let back in; everyone else is refused and gets no session.
    covers: "app/join/[studyId]/route.ts",
    target: "/join/:live?PROLIFIC_PID=:pid",
    kind: "api",
    expect: { ...all("409"), participant: "303" },
    says: {
      ...Object.fromEntries(
        ROLES.filter((role) => role !== "participant").map((role) => [role, /already in use in another browser/]),
      ),
      player: /signed in with an account/,
      researcher: /signed in with an account/,
      outsider: /signed in with an account/,
      admin: /signed in with an account/,
    },
  },
  {
    // Past the per-IP limit on study links, whoever asks: a 429 page (with Retry-After), before anything else.
    covers: "app/join/[studyId]/route.ts",
    target: "/join/:live",
    kind: "api",
    exhaustJoinLimit: true,
    expect: all("429"),
    says: Object.fromEntries(ROLES.map((role) => [role, /Too many study links/])),
  },
  // Studies: researcher accounts only (players are sent to sign in as "forbidden"); `:study` is the researcher's own.
  // A researcher who is not on the study gets a "not your study" notice without its data.
  ...["/studies", "/studies/new", "/studies/:study", "/studies/:study/edit", "/studies/:study/monitor"].map(
    (target): Row => ({
      covers: `app${target.replace(":study", "[id]")}/page.tsx`,
      target,
      kind: "page",
      expect: {
        ...all("signin"),
        researcher: "ok",
        admin: "ok",
        outsider: target.includes(":study") ? "notice" : "ok",
      },
    }),
  ),
  // Transcript review: researchers only; what each sees is limited to their studies (tests/integration/transcripts.test.ts).
  {
    covers: "app/transcripts/page.tsx",
    target: "/transcripts",
    kind: "page",
    expect: { ...all("signin"), researcher: "ok", outsider: "ok", admin: "ok" },
  },
  // A transcript's review page follows the observer's rule (lib/studies/match-access.ts): sign in without an
  // account session (the proxy sends guests and study participants there), a real 403 page for an account that may not see it (tests/integration/transcript-review.test.ts).
  ...(["", "/replay"] as const).flatMap((suffix): Row[] => [
    {
      covers: `app/transcripts/[id]${suffix}/page.tsx`,
      target: `/transcripts/:match${suffix}`,
      kind: "page",
      expect: {
        ...all("403"),
        anonymous: "signin",
        guest: "signin",
        judge: "signin",
        participant: "signin",
        otherParticipant: "signin",
        researcher: "ok",
        outsider: "ok",
        admin: "ok",
      },
    },
    {
      covers: `app/transcripts/[id]${suffix}/page.tsx`,
      target: `/transcripts/:peerMatch${suffix}`,
      kind: "page",
      expect: {
        ...all("403"),
        anonymous: "signin",
        guest: "signin",
        judge: "signin",
        participant: "signin",
        otherParticipant: "signin",
        researcher: "ok",
        admin: "ok",
      },
    },
    {
      // The researcher's own running match: never the story and the answer while they judge it.
      covers: `app/transcripts/[id]${suffix}/page.tsx`,
      target: `/transcripts/:judgedMatch${suffix}`,
      kind: "page",
      expect: {
        ...all("403"),
        anonymous: "signin",
        guest: "signin",
        judge: "signin",
        participant: "signin",
        otherParticipant: "signin",
        outsider: "ok",
        admin: "ok",
      },
    },
  ]),
  {
    // Side by side: both transcripts must be the viewer's to see (here the researcher's own running match is not).
    covers: "app/transcripts/compare/page.tsx",
    target: "/transcripts/compare?a=:match&b=:judgedMatch",
    kind: "page",
    expect: {
      ...all("403"),
      anonymous: "signin",
      guest: "signin",
      judge: "signin",
      participant: "signin",
      otherParticipant: "signin",
      outsider: "ok",
      admin: "ok",
    },
  },
  // Study APIs answer JSON: 401 without a session, 403 for guests and accounts without the researcher role.
  ...["/api/studies/:study/runs", "/api/studies/:study/monitor"].map(
    (target): Row => ({
      covers: `app${target.replace(":study", "[id]")}/route.ts`,
      target,
      kind: "api",
      expect: { ...all("403"), anonymous: "401", researcher: "ok", admin: "ok", outsider: "403" },
    }),
  ),
  // Study data downloads (one table as CSV/JSONL, or every table as a zip): the study APIs' rule, streamed only to
  // researchers with access; raw ids only to the owner ("researcher" here) and admins (an added researcher's 403 is
  // in tests/integration/export-tables.test.ts).
  ...[
    "/api/studies/:study/export?table=verdicts&format=csv",
    "/api/studies/:study/export?table=all&format=jsonl",
    "/api/studies/:study/export?table=participants&raw=1",
  ].map(
    (target): Row => ({
      covers: "app/api/studies/[id]/export/route.ts",
      target,
      kind: "api",
      expect: { ...all("403"), anonymous: "401", researcher: "ok", admin: "ok", outsider: "403" },
    }),
  ),
  // The bonus file (Prolific's bulk-bonus lines): the same rule as the data downloads.
  {
    covers: "app/api/studies/[id]/bonus/route.ts",
    target: "/api/studies/:study/bonus",
    kind: "api",
    expect: { ...all("403"), anonymous: "401", researcher: "ok", admin: "ok", outsider: "403" },
  },
  // Study results: the page for researchers with access; its JSON route (both parts) 401/403 for everyone else.
  {
    covers: "app/studies/[id]/results/page.tsx",
    target: "/studies/:study/results",
    kind: "page",
    expect: { ...all("signin"), researcher: "ok", admin: "ok", outsider: "notice" },
  },
  ...["/api/studies/:study/results", "/api/studies/:study/results?part=headline&replicates=100"].map(
    (target): Row => ({
      covers: "app/api/studies/[id]/results/route.ts",
      target,
      kind: "api",
      expect: { ...all("403"), anonymous: "401", researcher: "ok", admin: "ok", outsider: "403" },
    }),
  ),
  { covers: "app/api/matches/route.ts", target: "POST /api/matches", kind: "api", expect: all("ok") },
  // Past the match-start limits, per client IP and per user (MATCH_STARTS): 429 with Retry-After, and no session for
  // a new visitor. One without a session has no user to count (each start makes a new guest): only the per-IP limit
  // stops them.
  {
    covers: "app/api/matches/route.ts",
    target: "POST /api/matches",
    kind: "api",
    exhaustMatchStarts: "ip",
    expect: all("429"),
    says: Object.fromEntries(ROLES.map((role) => [role, /Too many matches/])),
  },
  {
    covers: "app/api/matches/route.ts",
    target: "POST /api/matches",
    kind: "api",
    exhaustMatchStarts: "user",
    expect: { ...all("429"), anonymous: "ok" },
    says: Object.fromEntries(ROLES.filter((role) => role !== "anonymous").map((role) => [role, /Too many matches/])),
  },
  // next-auth's own endpoints are public by design (sign-in, CSRF, session).
  { covers: "app/api/auth/[...nextauth]/route.ts", target: "/api/auth/session", kind: "api", expect: all("ok") },
  {
    covers: "match:join",
    target: "match:join",
    kind: "socket",
    expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED", judge: "ok" },
  },
  {
    covers: "judge:step",
    target: "judge:step",
    kind: "socket",
    expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED", judge: "ok" },
  },
  {
    covers: "judge:draft",
    target: "judge:draft",
    kind: "socket",
    expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED", judge: "ok" },
  },
  {
    covers: "match:observe",
    target: "match:observe",
    kind: "socket",
    expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED", researcher: "ok", admin: "ok", outsider: "ok" },
  },
  {
    // The researcher judges this match: observing it would show them the story and the answer before their verdict.
    covers: "match:observe",
    target: "match:observe :judgedMatch",
    kind: "socket",
    expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED", admin: "ok", outsider: "ok" },
  },
  // `:peerMatch`, another participant's match in the study "participant" takes part in: no participant (nor anyone
  // else) may join it, judge it or draft on it; only researchers on the study (and admins) may watch it.
  ...(["match:join", "judge:step", "judge:draft"] as const).map(
    (event): Row => ({
      covers: event,
      target: `${event} :peerMatch`,
      kind: "socket",
      expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED" },
    }),
  ),
  {
    covers: "match:observe",
    target: "match:observe :peerMatch",
    kind: "socket",
    expect: { ...all("FORBIDDEN"), anonymous: "NOT_AUTHENTICATED", researcher: "ok", admin: "ok" },
  },
  // The socket limits hold for every kind of user alike (the matrix's server has low ones: SOCKET_LIMITS).
  {
    covers: "match:join",
    target: "connections past the per-user limit",
    kind: "socket",
    expect: { ...all("RATE_LIMITED"), anonymous: "NOT_AUTHENTICATED" },
  },
  {
    covers: "match:join",
    target: "intents past the per-user limit",
    kind: "socket",
    expect: { ...all("RATE_LIMITED"), anonymous: "NOT_AUTHENTICATED" },
  },
  // Server actions. Signing in, signing up, signing out and "Play" are open to everyone.
  {
    covers: "app/auth-actions.ts#signInAction",
    target: "/signin",
    kind: "action",
    fresh: true,
    expect: all("ok"),
    redirect: /^\/$/,
    call: async ({ signInEmail }) => ({
      args: [{}, formData({ email: signInEmail, password: PASSWORD })],
      check: async (_done, response) =>
        expect(response.setCookies.some((line) => /^authjs\.session-token=[^;]/.test(line))).toBe(true),
    }),
  },
  {
    covers: "app/auth-actions.ts#signUpAction",
    target: "/signup",
    kind: "action",
    fresh: true,
    expect: all("ok"),
    redirect: /^\/$/,
    call: async ({ db, role, caller }) => {
      const email = `${unique("signup")}@example.test`;
      return {
        args: [{}, formData({ email, password: PASSWORD })],
        check: async () => {
          const user = await db.user.findUniqueOrThrow({ where: { email } });
          expect(user.role).toBe("player");
          // A guest keeps their user (and games); anyone else gets a new one.
          if (role === "guest" || role === "judge") expect(user.id).toBe(caller.userId);
          else expect(user.id).not.toBe(caller.userId);
        },
      };
    },
  },
  {
    // GitHub is not configured in tests: the visitor is sent back to the sign-in page, which says so.
    covers: "app/auth-actions.ts#gitHubSignInAction",
    target: "/signin",
    kind: "action",
    expect: all("signin"),
    call: async () => ({ args: [formData({ callbackUrl: "/" })] }),
  },
  {
    covers: "app/auth-actions.ts#signOutAction",
    target: "/",
    kind: "action",
    fresh: true,
    expect: all("ok"),
    redirect: /^\/$/,
    call: async ({ db, caller }) => ({
      args: [],
      check: async (_done, response) => {
        const token = /crux_session=([^;]+)/.exec(caller.cookie)?.[1];
        if (token) expect(await getUserBySessionToken(db, token)).toBeNull();
        if (caller.cookie.includes("authjs.session-token"))
          expect(response.setCookies.some((line) => /^authjs\.session-token=;/.test(line))).toBe(true);
      },
    }),
  },
  {
    covers: "app/auth-actions.ts#signOutEverywhereAction",
    target: "/account",
    kind: "action",
    fresh: true,
    expect: { ...all("ok"), anonymous: "signin", guest: "signin", judge: "signin" },
    redirect: /^\/$/,
    call: async ({ db, caller }) => ({
      args: [],
      check: async (done) => {
        if (!caller.userId) return;
        const user = await db.user.findUniqueOrThrow({ where: { id: caller.userId } });
        expect(user.sessionsRevokedAt !== null).toBe(done);
      },
    }),
  },
  {
    covers: "app/actions.ts#startGameAction",
    target: "/",
    kind: "action",
    expect: all("ok"),
    redirect: /^\/match\/[\w-]+$/,
    call: async ({ db, caller }) => ({
      args: [formData({ protocol: "debate" })],
      check: async (_done, response) => {
        const match = await db.match.findUniqueOrThrow({ where: { id: response.redirect?.split("/").pop() } });
        // The caller judges it; an anonymous visitor became a new guest.
        if (caller.userId) expect(match.judgeId).toBe(caller.userId);
        else expect(response.setCookies.some((line) => line.startsWith("crux_session="))).toBe(true);
      },
    }),
  },
  // "Play" past the match-start limits: back to the home page with the wait (as the API's 429), and no match.
  {
    covers: "app/actions.ts#startGameAction",
    target: "/",
    kind: "action",
    exhaustMatchStarts: "ip",
    expect: all("429"),
    call: playPastLimit,
  },
  {
    covers: "app/actions.ts#startGameAction",
    target: "/",
    kind: "action",
    fresh: true,
    exhaustMatchStarts: "user",
    expect: { ...all("429"), anonymous: "ok" },
    redirect: /^\/match\/[\w-]+$/,
    call: playPastLimit,
  },
  // The leaderboard setting: anyone playing (guest or account) opts themselves in or out; not study participants.
  {
    covers: "app/me/actions.ts#joinLeaderboardAction",
    target: "/me",
    kind: "action",
    ...LEADERBOARD_ACTION,
    call: async ({ db, caller }) => {
      const nickname = `Matrix ${++serial}${Date.now() % 100_000}`;
      return {
        args: [{}, formData({ nickname })],
        check: async (done) => {
          const entry = await db.leaderboardEntry.findUnique({ where: { nicknameKey: nickname.toLowerCase() } });
          expect(entry?.userId ?? null).toBe(done ? caller.userId : null);
        },
      };
    },
  },
  {
    covers: "app/me/actions.ts#leaveLeaderboardAction",
    target: "/me",
    kind: "action",
    ...LEADERBOARD_ACTION,
    call: async ({ db, caller }) => {
      const nickname = `Leaving ${++serial}${Date.now() % 100_000}`;
      const entry = { nickname, nicknameKey: nickname.toLowerCase() };
      const { userId } = caller;
      if (userId) await db.leaderboardEntry.upsert({ where: { userId }, create: { userId, ...entry }, update: entry });
      return {
        args: [{}, formData({})],
        check: async (done) => {
          const left = await db.leaderboardEntry.findUnique({ where: { nicknameKey: entry.nicknameKey } });
          expect(left === null).toBe(done || userId === null);
        },
      };
    },
  },
  // User administration: admins only.
  ...(["changeRoleAction", "revokeSessionsAction"] as const).map(
    (name): ActionRow => ({
      covers: `app/admin/users/actions.ts#${name}`,
      target: "/admin/users",
      kind: "action",
      expect: { ...all("signin"), admin: "ok" },
      call: async ({ db, caller }) => {
        const user = await db.user.create({ data: { email: `${unique("managed")}@example.test`, role: "player" } });
        return {
          args: [{}, formData({ userId: user.id, role: "researcher" })],
          check: async (done) => {
            const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
            if (name === "changeRoleAction") expect(after.role).toBe(done ? "researcher" : "player");
            else expect(after.sessionsRevokedAt !== null).toBe(done);
            const action = name === "changeRoleAction" ? "user.role" : "user.sessions_revoke";
            await expectAudited(db, done, action, `user:${user.id}`, caller.userId);
          },
        };
      },
    }),
  ),
  {
    // A study participant gets no role menu, and the action refuses to change their role, even for an admin.
    covers: "app/admin/users/actions.ts#changeRoleAction",
    target: "/admin/users",
    kind: "action",
    expect: { ...all("signin"), admin: "refused" },
    refusal: { admin: /A study participant keeps their role/ },
    call: async ({ db, role, liveStudyId, pageAsAdmin }) => {
      const pid = unique("menu");
      const joined = await joinStudy(db, { studyId: liveStudyId, external: { PROLIFIC_PID: pid }, current: null });
      if (role === "admin") {
        const { html } = await pageAsAdmin("/admin/users");
        expect(html).toContain(`Revoke sessions of Prolific ${pid}`);
        expect(html).not.toContain(`Role for Prolific ${pid}`);
      }
      return {
        args: [{}, formData({ userId: joined.userId, role: "admin" })],
        check: async () =>
          expect((await db.user.findUniqueOrThrow({ where: { id: joined.userId } })).role).toBe("participant"),
      };
    },
  },
  // A participant's steps act on their own participation only.
  {
    covers: "app/participate/[studyId]/actions.ts#advanceStepAction",
    target: "/participate/:live",
    kind: "action",
    fresh: true,
    expect: { ...all("refused"), participant: "ok" },
    refusal: {
      ...Object.fromEntries(ROLES.map((role) => [role, /You are not taking part in this study/])),
      anonymous: /Your session has ended/,
    },
    redirect: /^\/participate\/[\w-]+$/,
    call: async ({ db, caller, liveStudyId }) => ({
      args: [{}, formData({ studyId: liveStudyId, step: "consent", agree: "on" })],
      check: async (done) => {
        const mine = caller.userId ? await db.participant.findUnique({ where: { userId: caller.userId } }) : null;
        if (done) expect(mine?.stage).toBe("instructions");
        else if (mine) expect(mine.stage).toBe("consent");
      },
    }),
  },
  {
    // A sign of life: participants' own `lastSeenAt` moves; anyone else's call does nothing.
    covers: "app/participate/[studyId]/actions.ts#stillHereAction",
    target: "/participate/:live",
    kind: "action",
    expect: { ...all("noop"), participant: "ok", otherParticipant: "ok" },
    call: async ({ db, caller }) => {
      const long = new Date(0);
      await db.participant.updateMany({ data: { lastSeenAt: long } });
      return {
        args: [],
        check: async (done) => {
          const seen = await db.participant.findMany({ where: { lastSeenAt: { gt: long } }, select: { userId: true } });
          expect(seen.map((p) => p.userId)).toEqual(done ? [caller.userId] : []);
        },
      };
    },
  },
  // Study actions: each acts on a study (and participant, slot, match) made for the case.
  {
    covers: "app/studies/[id]/actions.ts#launchStudyAction",
    target: "/studies/:study",
    kind: "action",
    ...STUDY_ACTION,
    call: async ({ db, researcherId, caller }) => {
      const studyId = await draftStudy(db, researcherId);
      return {
        studyId,
        args: [{}, formData({ studyId })],
        check: async (done) => {
          const study = await db.study.findUniqueOrThrow({ where: { id: studyId } });
          expect(study.status).toBe(done ? "live" : "draft");
          expect(study.currentVersionId !== null).toBe(done);
          await expectAudited(db, done, "study.launch", `study:${studyId}`, caller.userId);
        },
      };
    },
  },
  {
    covers: "app/studies/[id]/actions.ts#setStudyStatusAction",
    target: "/studies/:study",
    kind: "action",
    ...STUDY_ACTION,
    call: async ({ db, researcherId, caller }) => {
      const studyId = await liveStudy(db, researcherId);
      return {
        studyId,
        args: [{}, formData({ studyId, status: "paused" })],
        check: async (done) => {
          const study = await db.study.findUniqueOrThrow({ where: { id: studyId } });
          expect(study.status).toBe(done ? "paused" : "live");
          await expectAudited(db, done, "study.status", `study:${studyId}`, caller.userId);
        },
      };
    },
  },
  {
    covers: "app/studies/[id]/actions.ts#addStudyMemberAction",
    target: "/studies/:study",
    kind: "action",
    ...STUDY_ACTION,
    call: async ({ db, researcherId, caller }) => {
      const studyId = await draftStudy(db, researcherId);
      const member = await db.user.create({ data: { email: `${unique("member")}@example.test`, role: "researcher" } });
      return {
        studyId,
        args: [{}, formData({ studyId, email: member.email ?? "" })],
        check: async (done) => {
          const added = await db.studyMember.count({ where: { studyId, userId: member.id } });
          expect(added).toBe(done ? 1 : 0);
          await expectAudited(db, done, "study.member_add", `study:${studyId}`, caller.userId);
        },
      };
    },
  },
  {
    covers: "app/studies/[id]/actions.ts#startRunAction",
    target: "/studies/:study",
    kind: "action",
    ...STUDY_ACTION,
    call: async ({ db, researcherId, caller }) => {
      const studyId = await liveStudy(db, researcherId);
      return {
        studyId,
        args: [{}, formData({ studyId, judge: "offline:heuristic", concurrency: "1" })],
        check: async (done, response) => {
          await expectAudited(db, done, "study.run_start", `study:${studyId}`, caller.userId);
          if (!done) return expect(await db.studyRun.count({ where: { studyId } })).toBe(0);
          expect(response.result).toMatchObject({ ok: true, message: expect.stringMatching(/run started/) });
          await vi.waitFor(async () => expect(await db.studyRun.count({ where: { studyId } })).toBe(1), {
            timeout: 10_000,
          });
        },
      };
    },
  },
  {
    // No run is going: the action answers so, without error.
    covers: "app/studies/[id]/actions.ts#stopRunAction",
    target: "/studies/:study",
    kind: "action",
    ...STUDY_ACTION,
    call: async ({ db, researcherId, caller }) => {
      const studyId = await liveStudy(db, researcherId);
      return {
        studyId,
        args: [{}, formData({ studyId })],
        check: async (done, response) => {
          await expectAudited(db, done, "study.run_stop", `study:${studyId}`, caller.userId);
          if (done) expect(response.result).toMatchObject({ ok: true, message: expect.stringMatching(/No run/) });
        },
      };
    },
  },
  {
    covers: "app/studies/[id]/actions.ts#endMatchAction",
    target: "/studies/:study/monitor",
    kind: "action",
    ...STUDY_ACTION,
    call: async ({ db, researcherId, caller }) => {
      const held = await heldMatch(db, researcherId);
      const before = await db.match.findUniqueOrThrow({ where: { id: held.matchId } });
      return {
        studyId: held.studyId,
        args: [{}, formData({ studyId: held.studyId, matchId: held.matchId })],
        check: async (done) => {
          const match = await db.match.findUniqueOrThrow({ where: { id: held.matchId } });
          expect(match.status).toBe(done ? "abandoned" : before.status);
          await expectAudited(db, done, "match.end", `match:${held.matchId}`, caller.userId);
        },
      };
    },
  },
  {
    covers: "app/studies/[id]/actions.ts#reassignSlotAction",
    target: "/studies/:study/monitor",
    kind: "action",
    ...STUDY_ACTION,
    call: async ({ db, researcherId, caller }) => {
      const held = await heldMatch(db, researcherId);
      return {
        studyId: held.studyId,
        args: [{}, formData({ studyId: held.studyId, slotId: held.slotId })],
        check: async (done) => {
          const slot = await db.slot.findUniqueOrThrow({ where: { id: held.slotId } });
          expect(slot.status).toBe(done ? "open" : "assigned");
          await expectAudited(db, done, "slot.reassign", `slot:${held.slotId}`, caller.userId);
        },
      };
    },
  },
  {
    covers: "app/studies/[id]/actions.ts#removeParticipantAction",
    target: "/studies/:study/monitor",
    kind: "action",
    ...STUDY_ACTION,
    call: async ({ db, researcherId, caller }) => {
      const held = await heldMatch(db, researcherId);
      return {
        studyId: held.studyId,
        args: [{}, formData({ studyId: held.studyId, participantId: held.participantId })],
        check: async (done) => {
          const participant = await db.participant.findUniqueOrThrow({ where: { id: held.participantId } });
          expect(participant.status).toBe(done ? "removed" : "active");
          await expectAudited(db, done, "participant.remove", `participant:${held.participantId}`, caller.userId);
        },
      };
    },
  },
  {
    // The owner or an admin (the matrix's researcher owns the case's study; added researchers are refused too:
    // tests/integration/corrections.test.ts).
    covers: "app/studies/[id]/actions.ts#correctMatchAction",
    target: "/studies/:study",
    kind: "action",
    ...STUDY_ACTION,
    call: async ({ db, researcherId, caller }) => {
      const held = await heldMatch(db, researcherId);
      return {
        studyId: held.studyId,
        args: [{}, formData({ studyId: held.studyId, matchId: held.matchId, kind: "exclude", reason: "Matrix case" })],
        check: async (done) => {
          const corrections = await db.correction.findMany({ where: { studyId: held.studyId } });
          expect(corrections.map((c) => [c.targetKind, c.targetId, c.kind, c.actorId])).toEqual(
            done ? [["match", held.matchId, "exclude", caller.userId]] : [],
          );
          await expectAudited(db, done, "correction.exclude", `match:${held.matchId}`, caller.userId);
        },
      };
    },
  },
  // Annotations on a transcript's review page: whoever may read the transcript (here a match of the researcher's
  // study) may add one; its author or an admin may delete it (tests/integration/annotations.test.ts).
  {
    covers: "app/transcripts/[id]/actions.ts#addAnnotationAction",
    target: "/transcripts/:transcript",
    kind: "action",
    ...TRANSCRIPT_ACTION,
    call: async ({ db, researcherId, caller }) => {
      const { matchId } = await heldMatch(db, researcherId);
      const body = unique("Matrix comment");
      return {
        matchId,
        args: [{}, formData({ kind: "comment", matchId, body })],
        check: async (done) => {
          const added = await db.annotation.findMany({ where: { matchId, body } });
          expect(added.map((a) => a.authorId)).toEqual(done ? [caller.userId] : []);
        },
      };
    },
  },
  {
    covers: "app/transcripts/[id]/actions.ts#deleteAnnotationAction",
    target: "/transcripts/:transcript",
    kind: "action",
    ...TRANSCRIPT_ACTION,
    call: async ({ db, researcherId }) => {
      const { matchId } = await heldMatch(db, researcherId);
      const annotation = await db.annotation.create({
        data: { matchId, authorId: researcherId, kind: "tag", tag: "matrix" },
      });
      return {
        matchId,
        args: [{}, formData({ matchId, annotationId: annotation.id })],
        check: async (done) => {
          expect(await db.annotation.count({ where: { id: annotation.id } })).toBe(done ? 0 : 1);
        },
      };
    },
  },
  // The design form: any researcher may create a study; editing one needs access to it.
  {
    covers: "app/studies/actions.ts#createStudyAction",
    target: "/studies/new",
    kind: "action",
    expect: { ...all("signin"), researcher: "ok", outsider: "ok", admin: "ok" },
    redirect: /^\/studies\/[\w-]+$/,
    call: async ({ db, caller }) => {
      const name = unique("Matrix new");
      return {
        args: [{}, { ...LIVE_DESIGN, name }],
        check: async (done, response) => {
          const made = await db.study.findMany({ where: { name } });
          expect(made.map((study) => [`/studies/${study.id}`, study.ownerId])).toEqual(
            done ? [[response.redirect, caller.userId]] : [],
          );
          for (const study of made) await expectAudited(db, done, "study.create", `study:${study.id}`, caller.userId);
        },
      };
    },
  },
  {
    covers: "app/studies/actions.ts#updateStudyAction",
    target: "/studies/:study/edit",
    kind: "action",
    ...STUDY_ACTION,
    redirect: /^\/studies\/[\w-]+$/,
    call: async ({ db, researcherId, caller }) => {
      const studyId = await draftStudy(db, researcherId);
      const name = unique("Matrix edited");
      return {
        studyId,
        // The edit page binds the study id: the browser sends it as the first argument.
        args: [studyId, {}, { ...LIVE_DESIGN, name }],
        check: async (done) => {
          const study = await db.study.findUniqueOrThrow({ where: { id: studyId } });
          expect(study.name === name).toBe(done);
          await expectAudited(db, done, "study.edit", `study:${studyId}`, caller.userId);
        },
      };
    },
  },
];

const root = path.resolve(import.meta.dirname, "..", "..");

function appFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return appFiles(full);
    return /^(page|route)\.tsx?$/.test(entry.name) ? [path.relative(root, full)] : [];
  });
}

const isAction = (row: Row): row is ActionRow => row.kind === "action";

describe("authorization matrix", () => {
  it("has a row for every page, route handler and client socket event", () => {
    const covered = new Set(MATRIX.map((row) => row.covers));
    for (const file of appFiles(path.join(root, "app"))) expect(covered, `no matrix row for ${file}`).toContain(file);
    const protocol = fs.readFileSync(path.join(root, "lib/realtime/protocol.ts"), "utf8");
    const block = protocol.slice(protocol.indexOf("interface ClientToServerEvents"));
    const events = [...block.slice(0, block.indexOf("\n}")).matchAll(/"([a-z]+:[a-z]+)":/g)].map((m) => m[1]);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(covered, `no matrix row for socket event ${event}`).toContain(event);
  });

  it("has a row for every server action of the build, called from a page that uses it", () => {
    const actions = listServerActions();
    expect(actions.length, "no server actions found in .next/server/server-reference-manifest.json").toBeGreaterThan(0);
    const rows = new Map(MATRIX.filter(isAction).map((row) => [row.covers, row]));
    for (const action of actions) {
      const row = rows.get(action.name);
      if (!row)
        throw new Error(`no matrix row for server action ${action.name} (add one with covers: "${action.name}")`);
      const target = row.target.replace(/:\w+/g, "x");
      expect(
        action.pages.some((page) => pageServes(page, target)),
        `${action.name} is not served at ${row.target} (its pages: ${action.pages.join(", ")})`,
      ).toBe(true);
    }
    const exposed = new Set(actions.map((action) => action.name));
    for (const covers of rows.keys()) expect(exposed, `matrix row for an unknown server action`).toContain(covers);
  });

  let server: RunningServer;
  let db: Db;
  let actions: ServerAction[] = [];
  let matchId = "";
  let judgedMatchId = "";
  let peerMatchId = "";
  let clientIps = 0;
  let studyId = "";
  let liveStudyId = "";
  let otherLiveStudyId = "";
  let signInEmail = "";
  const callers = {} as Record<Role, Caller>;

  /**
   * Headers of a client of its own: each case (and each match a case starts) comes from another IPv6 /64, so only
   * the rows about the per-IP limits meet them.
   */
  function fromNewClient(): { "x-forwarded-for": string } {
    return { "x-forwarded-for": `2001:db8:${(++clientIps).toString(16)}::1` };
  }

  /**
   * Starts matches until the case is at `limit`: from the case's own address (`client`) as new guests, or as `caller`
   * (each from another address), counting the matches the caller made already. A visitor without a session has no
   * user to count.
   */
  async function exhaustMatchStarts(limit: MatchStartLimit, caller: Caller, client: Record<string, string>) {
    if (limit === "ip") {
      for (let i = 0; i < MATCH_STARTS.PER_IP; i++) await createGuestMatch(server.url, undefined, { headers: client });
      return;
    }
    if (!caller.userId) return;
    const started = await db.match.count({ where: { judgeId: caller.userId } });
    for (let i = started; i < MATCH_STARTS.PER_USER; i++)
      await createGuestMatch(server.url, caller.cookie, { headers: fromNewClient() });
  }

  /** A new user of `role`'s kind, with the cookies a browser would hold (a participant: with `external` ids). */
  async function newCaller(role: Role, external: ExternalIds = {}): Promise<Caller> {
    if (role === "anonymous") return { cookie: "", userId: null };
    if (role === "guest" || role === "judge") {
      const guest = await createGuestMatch(server.url, undefined, { headers: fromNewClient() });
      const match = await db.match.findUniqueOrThrow({ where: { id: guest.matchId } });
      return { cookie: guest.cookie, userId: match.judgeId };
    }
    if (role === "participant" || role === "otherParticipant") {
      // A session as the study link gives it.
      const studyId = role === "participant" ? liveStudyId : otherLiveStudyId;
      const joined = await joinStudy(db, { studyId, external, current: null });
      return { cookie: `crux_session=${joined.session?.token}`, userId: joined.userId };
    }
    const jar = new CookieJar();
    const email = `${unique(role)}@example.test`;
    const result = await authCallback(server.url, "signup", { email, password: PASSWORD }, jar);
    if (!result.ok) throw new Error(`could not sign up a ${role}: ${result.location}`);
    const user = await db.user.update({ where: { email }, data: { role: role === "outsider" ? "researcher" : role } });
    return { cookie: jar.header(), userId: user.id };
  }

  beforeAll(async () => {
    // Many accounts sign up and in from this one address: lift the per-IP limit (tested in accounts.test.ts).
    // Study links: a low limit, and each case's requests say their own client IP (X-Forwarded-For, trusted here).
    // Sockets: low limits too (SOCKET_LIMITS).
    server = await startServer({
      env: {
        CRUX_SIGNIN_LIMIT_PER_IP: "10000",
        CRUX_JOIN_LIMIT_PER_IP: String(JOIN_LIMIT),
        CRUX_TRUST_PROXY: "1",
        ...SOCKET_LIMITS,
        CRUX_MATCH_STARTS_PER_IP: String(MATCH_STARTS.PER_IP),
        CRUX_MATCH_STARTS_PER_USER: String(MATCH_STARTS.PER_USER),
      },
    });
    db = createDb(server.databaseUrl);
    actions = listServerActions();
    callers.researcher = await newCaller("researcher");
    const researcherId = callers.researcher.userId ?? "";
    const design = { name: "Matrix study", conditions: [{ name: "debate", protocol: "debate" }] };
    studyId = (await createStudy(db, { ownerId: researcherId, config: design })).id;
    // Two live studies with a participant each.
    liveStudyId = await liveStudy(db, researcherId);
    otherLiveStudyId = await liveStudy(db, researcherId);
    callers.participant = await newCaller("participant", {
      PROLIFIC_PID: PARTICIPANT_PID,
      SESSION_ID: "matrix-attempt",
    });
    for (const role of ROLES) callers[role] ??= await newCaller(role);
    matchId = (await db.match.findFirstOrThrow({ where: { judgeId: callers.judge.userId } })).id;
    judgedMatchId = (await createDebateMatch(db, { judgeId: researcherId })).id;
    peerMatchId = (await newParticipantWithMatch(db, liveStudyId)).matchId;
    signInEmail = `${unique("signin")}@example.test`;
    const result = await authCallback(
      server.url,
      "signup",
      { email: signInEmail, password: PASSWORD },
      new CookieJar(),
    );
    if (!result.ok) throw new Error(`could not sign up ${signInEmail}: ${result.location}`);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await server?.stop();
  });

  const cases = MATRIX.flatMap((row) => ROLES.map((role) => [row.covers, role, row.expect[role], row] as const));

  it.each(cases)("%s as %s → %s", async (_covers, role, expected, row) => {
    if (row.kind === "action") return checkAction(row, role, expected);
    // A case past the per-user match-start limit gets a caller of its own, so the shared ones keep their allowance.
    const caller = row.kind === "api" && row.exhaustMatchStarts === "user" ? await newCaller(role) : callers[role];
    const cookie = caller.cookie;
    const target = row.target
      .replace(":judgedMatch", judgedMatchId)
      .replace(":peerMatch", peerMatchId)
      .replace(":match", matchId)
      .replace(":study", studyId)
      .replace(":live", liveStudyId)
      .replace(":pid", PARTICIPANT_PID);
    if (row.kind === "page") {
      const page = await getPage(server.url, target, new CookieJar(cookie));
      if (expected === "signin") {
        expect([302, 303, 307, 308]).toContain(page.status);
        expect(page.location ?? "").toMatch(/\/signin/);
      } else if (expected === "403") {
        expect(page.status).toBe(403);
        expect(page.html).toMatch(/cannot see this transcript/);
      } else {
        expect(page.status).toBe(200);
        if (expected === "notice")
          expect(page.html).toMatch(
            /another judge|No such match|Open your study link|Not your study|cannot watch this/,
          );
        if (expected === "ok") expect(page.html).not.toMatch(/Not your study|Open your study link|cannot watch this/);
        if (row.covers === "app/match/[id]/page.tsx" && expected === "ok")
          expect(page.html).not.toMatch(/another judge/);
      }
    } else if (row.kind === "api") {
      const [method, url] = target.includes(" ") ? target.split(" ") : ["GET", target];
      const client = fromNewClient();
      const headers = { "content-type": "application/json", ...client, ...(cookie ? { cookie } : {}) };
      if (row.exhaustMatchStarts) await exhaustMatchStarts(row.exhaustMatchStarts, caller, client);
      if (row.exhaustJoinLimit)
        for (let i = 0; i < JOIN_LIMIT; i++)
          expect((await fetch(`${server.url}/join/no-such-study`, { headers, redirect: "manual" })).status).toBe(404);
      const response = await fetch(`${server.url}${url}`, {
        method,
        headers,
        redirect: "manual",
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      expect(String(response.status)).toMatch(expected === "ok" ? /^20[01]$/ : new RegExp(`^${expected}$`));
      const says = row.says?.[role];
      if (says) expect(await response.text()).toMatch(says);
      if (expected === "429") expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      // A refused study link, or a refused match start, hands out no session.
      if ((url?.startsWith("/join/") && expected !== "303") || expected === "429")
        expect(response.headers.getSetCookie().some((line) => line.startsWith("crux_session="))).toBe(false);
    } else {
      // `<event> <match id>`; targets that describe a check in words ("connections past …") are taken whole.
      const [event = target, match] = /^[a-z]+:[a-z]+ /.test(target) ? target.split(" ") : [target];
      await checkSocket(event, cookie, expected, match ?? matchId);
    }
  });

  /** Calls the action as `role` and checks how it ended and what it did (or that it did nothing). */
  async function checkAction(row: ActionRow, role: Role, expected: Outcome) {
    const action = actions.find((candidate) => candidate.name === row.covers);
    if (!action) throw new Error(`the build has no server action ${row.covers}`);
    const caller = row.fresh ? await newCaller(role) : callers[role];
    const client = fromNewClient();
    if (row.exhaustMatchStarts) await exhaustMatchStarts(row.exhaustMatchStarts, caller, client);
    const researcherId = callers.researcher.userId ?? "";
    const pageAsAdmin = (target: string) => getPage(server.url, target, new CookieJar(callers.admin.cookie));
    const call = await row.call({ db, role, caller, researcherId, liveStudyId, signInEmail, pageAsAdmin });
    const target = row.target
      .replace(":study", call.studyId ?? studyId)
      .replace(":live", liveStudyId)
      .replace(":transcript", call.matchId ?? matchId);
    const response = await callAction(server.url, action, target, call.args, caller.cookie, { headers: client });
    const seen = `${response.status} ${response.redirect ?? ""} ${JSON.stringify(response.result) ?? ""}`;
    // Past a rate limit, an action goes back to its page with the wait (`429` names the refusal, as for routes).
    expect(response.outcome, seen).toBe(expected === "noop" || expected === "429" ? "ok" : expected);
    if (expected === "ok" && row.redirect) expect(response.redirect ?? "", seen).toMatch(row.redirect);
    if (expected === "429") expect(response.redirect ?? "", seen).toMatch(BUSY_REDIRECT);
    if (expected === "refused") expect(JSON.stringify(response.result)).toMatch(row.refusal?.[role] ?? /./);
    await call.check?.(expected === "ok", response);
  }

  async function checkSocket(event: string, cookie: string, expected: Outcome, matchId: string) {
    if (expected === "NOT_AUTHENTICATED") {
      const socket = io(server.url, {
        auth: { v: PROTOCOL_VERSION },
        extraHeaders: cookie ? { cookie } : {},
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
      });
      const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
      expect(error.message).toMatch(/^NOT_AUTHENTICATED/);
      socket.disconnect();
      return;
    }
    if (event === "connections past the per-user limit") return checkConnectionLimit(cookie);
    if (event === "intents past the per-user limit") return checkIntentLimit(cookie);
    const client = await connectJudge(server.url, cookie);
    const payload =
      event === "judge:step"
        ? { matchId, round: 1, probabilities: [0.4, 0.6], action: "continue" }
        : event === "judge:draft"
          ? { matchId, round: 1, probabilities: [0.4, 0.6] }
          : { matchId };
    const ack = await request(client, event as "match:join", payload);
    if (expected === "ok") {
      // Allowed: either it succeeds or the rules (not the permissions) refuse it, e.g. a step out of turn.
      if (!ack.ok) expect(ack.error.code).not.toMatch(/FORBIDDEN|NOT_AUTHENTICATED/);
    } else {
      expect(ack).toMatchObject({ ok: false, error: { code: expected } });
      expect(client.received.some((line) => line.startsWith("match:view"))).toBe(false);
    }
    client.socket.disconnect();
  }

  /** Up to the limit of live connections is served; one more is refused with a RATE_LIMITED connect_error. */
  async function checkConnectionLimit(cookie: string) {
    const clients = [];
    for (let i = 0; i < Number(SOCKET_LIMITS.CRUX_SOCKETS_PER_USER); i++)
      clients.push(await connectJudge(server.url, cookie));
    const refused = await connectJudge(server.url, cookie).then(
      (extra) => {
        clients.push(extra);
        return null;
      },
      (error: Error) => error,
    );
    for (const client of clients) client.socket.disconnect();
    expect(refused?.message).toMatch(/^RATE_LIMITED: your account already has/);
    // The server lets closed connections go: as many connect again (and close) as were open.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probes = await Promise.allSettled(clients.map(() => connectJudge(server.url, cookie)));
      for (const probe of probes) if (probe.status === "fulfilled") probe.value.socket.disconnect();
      if (probes.every((probe) => probe.status === "fulfilled")) return;
      if (Date.now() > deadline) throw new Error("the server kept counting closed connections");
    }
  }

  /** Intents from two connections of one user past the per-user limit get RATE_LIMITED acks. */
  async function checkIntentLimit(cookie: string) {
    const clients = [await connectJudge(server.url, cookie), await connectJudge(server.url, cookie)];
    const acks = await Promise.all(
      clients.flatMap((client) => Array.from({ length: 20 }, () => request(client, "match:join", { matchId: "x" }))),
    );
    for (const client of clients) client.socket.disconnect();
    const limited = acks.filter((ack) => !ack.ok && ack.error.code === "RATE_LIMITED");
    expect(limited.length).toBeGreaterThanOrEqual(40 - Number(SOCKET_LIMITS.CRUX_SOCKET_EVENTS_PER_USER));
    expect(limited.every((ack) => !ack.ok && /from your account/.test(ack.error.message))).toBe(true);
  }
});
