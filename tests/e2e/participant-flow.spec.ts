import { expect, type Page, test } from "@playwright/test";
import { createDb, type Db } from "../../lib/db/client";
import { createStudy, launchStudy } from "../../lib/studies/repository";
import { captureTraffic, expectNothingLeakedBeforeVerdict, judgeRound, submitVerdict, type Traffic } from "./support";

/**
 * A Prolific participant in the browser, from the study link to the completion redirect: consent and instructions
 * by keyboard, a failed then a passed comprehension check, two matches (one per condition) with the progress shown,
 * the survey, then Prolific's completion URL with the code (intercepted). The traffic of each match is checked for
 * the story and the answer before its verdict, and the link opened again afterwards resumes at the end.
 */

const PROLIFIC = "https://app.prolific.com/submissions/complete";
const CODE = "E2EDONE1";

async function seedStudy(db: Db): Promise<string> {
  const owner = await db.user.create({
    data: { role: "researcher", email: `e2e-owner-${Date.now()}@example.test` },
  });
  const { id } = await createStudy(db, {
    ownerId: owner.id,
    config: {
      name: "E2E participant study",
      questions: { source: "quality", count: 4, seed: 21 },
      conditions: [
        { name: "debate", protocol: "debate", rounds: 1 },
        { name: "consultancy", protocol: "consultancy", rounds: 1 },
      ],
      questionsPerJudge: 2,
      consent: "You may stop at any time. Your answers are used for research only.",
      instructions: "Only the debaters can read the story. Move the slider, then give your verdict.",
      comprehensionCheck: {
        questions: [{ question: "Who can read the story?", options: ["Only the debaters", "You"], answer: 0 }],
        attempts: 2,
      },
      survey: [{ id: "confidence", prompt: "How confident were you overall?", kind: "scale", required: true }],
      completion: { redirectUrl: PROLIFIC, codes: { completed: CODE } },
    },
  });
  await launchStudy(db, id);
  return id;
}

test("a participant goes from the study link through checks, matches and survey to Prolific", async ({ page }) => {
  const db = createDb(process.env.E2E_DATABASE_URL);
  try {
    const studyId = await seedStudy(db);
    const link = `/join/${studyId}?PROLIFIC_PID=e2e123&STUDY_ID=s1&SESSION_ID=x1`;
    await page.route("https://app.prolific.com/**", (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Prolific</title><h1>Complete</h1>" }),
    );

    const firstMatch = captureTraffic(page);
    await page.goto(link);
    await expect(page).toHaveURL(new RegExp(`/participate/${studyId}$`));

    // Consent and instructions, by keyboard only.
    await expect(page.getByRole("heading", { name: "Consent" })).toBeVisible();
    await page.getByRole("checkbox", { name: /I agree to take part/ }).focus();
    await page.keyboard.press("Space");
    await expect(page.getByRole("checkbox", { name: /I agree to take part/ })).toBeChecked();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Continue" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Instructions" })).toBeVisible();
    await page.getByRole("button", { name: "Continue" }).focus();
    await page.keyboard.press("Enter");

    // The check: a wrong answer costs an attempt and says so; the right one starts the matches.
    await expect(page.getByRole("heading", { name: "A quick check" })).toBeVisible();
    await expect(page.getByTestId("attempts-left")).toHaveText("2 attempts left.");
    const question = page.getByRole("group", { name: "Who can read the story?" });
    await question.getByRole("radio", { name: "You" }).check();
    await page.getByRole("button", { name: "Check my answers" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Not every answer was right" })).toBeVisible();
    await expect(page.getByTestId("attempts-left")).toHaveText("1 attempt left.");
    await question.getByRole("radio", { name: "Only the debaters" }).check();
    await page.getByRole("button", { name: "Check my answers" }).click();

    // Match 1, then match 2: each played to the verdict, with nothing secret in the browser before it.
    await expect(page.getByRole("heading", { name: "Match 1 of 2" })).toBeVisible();
    await expect(page.getByRole("progressbar", { name: "Study progress: 0 of 2 matches finished" })).toBeVisible();
    const first = await playStudyMatch(page, db, firstMatch);

    const secondMatch = captureTraffic(page);
    await page.getByRole("button", { name: "Next match" }).click();
    await expect(page.getByRole("heading", { name: "Match 2 of 2" })).toBeVisible();
    await expect(page.getByRole("progressbar", { name: "Study progress: 1 of 2 matches finished" })).toBeVisible();
    const second = await playStudyMatch(page, db, secondMatch);
    expect(second.id).not.toBe(first.id);
    expect([first.condition, second.condition].sort()).toEqual(["consultancy", "debate"]);
    await page.getByRole("button", { name: "Continue" }).click();

    // The survey, then straight on to Prolific with the completion code.
    await expect(page.getByRole("heading", { name: "A few last questions" })).toBeVisible();
    const scale = page.getByRole("group", { name: /How confident were you overall\? \(required\)/ });
    await scale.getByRole("radio", { name: "5" }).check();
    await page.getByRole("button", { name: "Submit answers" }).click();
    await page.waitForURL(`${PROLIFIC}?cc=${CODE}`);
    expect(page.url()).toBe(`${PROLIFIC}?cc=${CODE}`);

    const participant = await db.participant.findFirstOrThrow({ where: { studyId, externalId: "e2e123" } });
    expect(participant).toMatchObject({ stage: "done", status: "completed", completionCode: CODE });
    expect(participant.survey).toEqual({ confidence: 5 });

    // The same link again, in the same browser: the end (code and link), not a fresh start.
    const again = await page.request.get(link);
    expect(again.url()).toContain(`/participate/${studyId}`);
    const html = await again.text();
    expect(html).toContain(CODE);
    expect(html).toContain("Continue to Prolific");
    expect(html).not.toContain("I agree to take part");
    await page.goto(link);
    await page.waitForURL(`${PROLIFIC}?cc=${CODE}`);
    expect(await db.participant.count({ where: { studyId, externalId: "e2e123" } })).toBe(1);
  } finally {
    await db.$disconnect();
  }
});

/** Plays the study match on the page (one round) to the verdict and checks what arrived before it. */
async function playStudyMatch(page: Page, db: Db, traffic: Traffic) {
  const matchId = (await page.getByTestId("study-match").getAttribute("data-match-id")) ?? "";
  const { protocol } = await db.match.findUniqueOrThrow({ where: { id: matchId }, select: { protocol: true } });
  await judgeRound(page, 1, 1, protocol === "consultancy" ? 1 : 2);
  await submitVerdict(page, traffic, "The quotes were verified.");
  const match = await db.match.findUniqueOrThrow({
    where: { id: matchId },
    include: {
      question: { include: { passage: true } },
      verdict: true,
      turns: true,
      modelCalls: { orderBy: { createdAt: "asc" } },
    },
  });
  await expectNothingLeakedBeforeVerdict(page, traffic, match);
  expect(match).toMatchObject({ status: "complete", practice: false });
  return match;
}
