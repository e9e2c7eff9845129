import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { createGuestSession, SESSION_COOKIE } from "../../lib/auth/guest";
import { createDb, type Db } from "../../lib/db/client";
import { importDebates } from "../../lib/import/debates";
import { createDebateMatch } from "../../lib/matches/create";
import { createStudy, launchStudy } from "../../lib/studies/repository";
import { captureTraffic, playToVerdict, seedResearcher, signInThroughForm } from "./support";

/**
 * Text from outside reaches pages in many ways — a story and its question (imported), a model's turn (the offline
 * debater quotes the story), a judge's question and explanation, a study's consent and instructions, an imported
 * debate's turns and messages. Each carries script and HTML payloads here; the test fails if any of them runs (a
 * dialog opens), or if the page even tries to run one (a Content-Security-Policy violation is reported), and checks
 * that each payload is shown as plain text.
 */

const PAYLOADS = [
  `<script>alert("xss-script")</script>`,
  `<img src=x onerror="alert('xss-img')">`,
  `<svg onload="alert('xss-svg')"></svg>`,
  `"><iframe src="javascript:alert('xss-iframe')"></iframe>`,
];
const ALL = PAYLOADS.join(" ");

interface Watch {
  dialogs: string[];
  violations: () => Promise<string[]>;
}

/** Records every dialog the page opens and every CSP violation it reports. */
async function watch(context: BrowserContext, page: Page): Promise<Watch> {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.violatedDirective}: ${event.blockedURI} ${event.sample}`);
    });
  });
  return {
    dialogs,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []),
  };
}

async function expectNothingRan(w: Watch): Promise<void> {
  expect(w.dialogs).toEqual([]);
  expect(await w.violations()).toEqual([]);
}

async function seedHostileQuestion(db: Db): Promise<string> {
  const passage = await db.passage.create({
    data: {
      source: "xss-e2e",
      externalId: `p-${Date.now()}`,
      title: `The keeper ${PAYLOADS[0]}`,
      license: "test data",
      text: [
        `Ada kept the lighthouse on the northern cape for ten long years. ${PAYLOADS[0]}`,
        `Ben arrived with the spring supply boat and never climbed the lighthouse stairs. ${PAYLOADS[1]}`,
        `Everyone on the cape knew that Ada kept the lighthouse lamp burning every night. ${PAYLOADS[2]}`,
        `Ben mended nets in the harbour and talked about the lighthouse keeper. ${PAYLOADS[3]}`,
      ].join("\n\n"),
    },
  });
  const question = await db.question.create({
    data: {
      source: "xss-e2e",
      externalId: `q-${Date.now()}`,
      passageId: passage.id,
      text: `Who kept the lighthouse? ${PAYLOADS[0]}`,
      options: [`Ada kept the lighthouse ${PAYLOADS[1]}`, `Ben kept the lighthouse ${PAYLOADS[2]}`],
      gold: 0,
      license: "test data",
    },
  });
  return question.id;
}

test("payloads in a story, its question, the debaters' turns and the judge's words are shown, never run", async ({
  page,
  context,
  baseURL,
}) => {
  const w = await watch(context, page);
  const db = createDb(process.env.E2E_DATABASE_URL);
  let matchId: string;
  try {
    const questionId = await seedHostileQuestion(db);
    const guest = await createGuestSession(db);
    await context.addCookies([{ name: SESSION_COOKIE, value: guest.token, url: baseURL ?? "" }]);
    ({ id: matchId } = await createDebateMatch(db, {
      judgeId: guest.user.id,
      questionId,
      config: { protocol: "interactive" },
    }));
  } finally {
    await db.$disconnect();
  }

  const traffic = captureTraffic(page);
  await page.goto(`/match/${matchId}`);
  await expect(page.getByTestId("question")).toContainText(PAYLOADS[0] ?? "");
  await playToVerdict(page, traffic, {
    explanation: `Because ${ALL}`,
    beforeNextRound: async (round) => {
      if (round === 1) await page.getByLabel("Ask the debaters something for the next round (optional)").fill(ALL);
    },
  });
  // The revealed story, the debaters' quotes of it and the judge's own question are on the page as text.
  await expect(page.getByRole("article", { name: "The story" })).toContainText(PAYLOADS[1] ?? "");
  expect(await page.getByText(PAYLOADS[3] ?? "", { exact: false }).count()).toBeGreaterThan(0);
  await expectNothingRan(w);
});

test("payloads in a study's consent and instructions are shown to participants as text", async ({ page, context }) => {
  const w = await watch(context, page);
  const db = createDb(process.env.E2E_DATABASE_URL);
  let studyId: string;
  try {
    const owner = await db.user.create({ data: { role: "researcher", email: `xss-owner-${Date.now()}@example.test` } });
    ({ id: studyId } = await createStudy(db, {
      ownerId: owner.id,
      config: {
        name: `Hostile texts ${Date.now()}`,
        questions: { source: "quality", count: 2, seed: 3 },
        conditions: [{ name: "debate", protocol: "debate", rounds: 1 }],
        questionsPerJudge: 1,
        consent: `Consent text. ${ALL}`,
        instructions: `Instructions text. ${ALL}`,
      },
    }));
    await launchStudy(db, studyId);
  } finally {
    await db.$disconnect();
  }

  await page.goto(`/join/${studyId}?PROLIFIC_PID=xss${Date.now()}&STUDY_ID=s&SESSION_ID=x`);
  await expect(page.getByRole("heading", { name: "Consent" })).toBeVisible();
  await expect(page.getByText(PAYLOADS[0] ?? "", { exact: false })).toBeVisible();
  await page.getByRole("checkbox", { name: /I agree to take part/ }).check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Instructions" })).toBeVisible();
  await expect(page.getByText("Instructions text.", { exact: false })).toBeVisible();
  await expect(page.getByText(PAYLOADS[1] ?? "", { exact: false })).toBeVisible();
  await expectNothingRan(w);
});

test("payloads in an imported debate are shown to its reviewer as text", async ({ page, context }) => {
  const w = await watch(context, page);
  const email = await seedResearcher();
  const dataset = `xss-import-${Date.now().toString(36)}`;
  const db = createDb(process.env.E2E_DATABASE_URL);
  let matchId: string | undefined;
  try {
    const debate = {
      id: "hostile-1",
      question: { text: `Who kept the light? ${PAYLOADS[0]}`, options: ["Ada", `Ben ${PAYLOADS[1]}`], gold: 0 },
      passage: { title: "The Lighthouse", text: `Ada had kept the light for ten years. ${ALL}` },
      protocol: "debate",
      debaters: [
        { seat: "A", option: 0, name: `a ${PAYLOADS[2]}` },
        { seat: "B", option: 1, name: "b" },
      ],
      turns: [
        { round: 1, speaker: "A", text: `The story says <quote>Ada had kept the light for ten years</quote>. ${ALL}` },
        { round: 1, speaker: "B", text: `Ben is the keeper. ${PAYLOADS[3]}` },
      ],
      judge: { id: "judge-x", kind: "human" },
      judgeSteps: [{ round: 1, probabilities: [0.8, 0.2], action: "end", message: `Only A quoted. ${ALL}` }],
      verdict: { probabilities: [0.8, 0.2], explanation: `Because ${ALL}` },
    };
    const result = await importDebates(db, { content: JSON.stringify(debate), dataset, ownerEmail: email });
    expect(result.errors).toEqual([]);
    const match = await db.match.findFirstOrThrow({ where: { study: { name: dataset } }, select: { id: true } });
    matchId = match.id;
  } finally {
    await db.$disconnect();
  }

  await page.goto(`/signin?callbackUrl=${encodeURIComponent(`/observe/${matchId}`)}`);
  await signInThroughForm(page, email);
  await expect(page).toHaveURL(new RegExp(`/observe/${matchId}$`));
  await expect(page.getByText("Ben is the keeper.", { exact: false })).toBeVisible();
  expect(await page.getByText(PAYLOADS[3] ?? "", { exact: false }).count()).toBeGreaterThan(0);
  await expectNothingRan(w);
});
