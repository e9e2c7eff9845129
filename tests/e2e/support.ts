import { expect, type Page } from "@playwright/test";
import { z } from "zod";
import { hashPassword } from "../../lib/auth/password";
import { createDb } from "../../lib/db/client";

/**
 * Helpers shared by the browser specs: capture everything the page receives, click through the judge's rounds,
 * and check that nothing secret arrived before the verdict.
 */

/** Every websocket frame and HTTP response body the page received, and those that arrived before the verdict. */
export interface Traffic {
  received: string[];
  beforeVerdict: string[];
  /** Call just before submitting the verdict: later arrivals may legitimately hold the story and the answer. */
  markVerdictSubmitted(): void;
}

/** Starts recording a page's traffic; call before the first navigation so nothing is missed. */
export function captureTraffic(page: Page): Traffic {
  const received: string[] = [];
  const beforeVerdict: string[] = [];
  let verdictSubmitted = false;
  const record = (text: string, before: boolean) => {
    received.push(text);
    if (before) beforeVerdict.push(text);
  };
  page.on("websocket", (ws) => ws.on("framereceived", (frame) => record(String(frame.payload), !verdictSubmitted)));
  page.on("response", async (response) => {
    // Static code bundles hold no data (and their minified code legitimately contains words like "correct").
    if (response.url().includes("/_next/static/")) return;
    // Decided on arrival: the body is read asynchronously, possibly after the verdict was submitted.
    const before = !verdictSubmitted;
    const body = await response.body().catch(() => Buffer.alloc(0));
    record(body.toString("utf8"), before);
  });
  return {
    received,
    beforeVerdict,
    markVerdictSubmitted() {
      verdictSubmitted = true;
    },
  };
}

/**
 * Waits until round `round` is over: every speaker's turns of every round so far are shown (two debaters, or one
 * consultant with `speakers: 1`), quotes checked.
 */
export async function judgeRound(page: Page, round: number, rounds = 3, speakers = 2): Promise<void> {
  await expect(page.getByRole("heading", { name: new RegExp(`^Round ${round} of ${rounds}`) })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByTestId("turn")).toHaveCount(round * speakers);
  await expect(page.locator('[data-quote-state="pending"]')).toHaveCount(0);
  expect(await page.locator('[data-quote-state="verified"]').count()).toBeGreaterThan(0);
}

/**
 * Plays a three-round match from the open match page to the reveal, as a judge: 60% then 65% on the option shown
 * on the slider's right with "Next round", then a 70% verdict with an explanation. `afterRound` runs once each
 * round's turns are all shown, before the judge acts; `beforeNextRound` runs with the slider set, just before
 * "Next round" (e.g. to type a question). `speakers` is 1 for a consultancy.
 */
export async function playToVerdict(
  page: Page,
  traffic: Traffic,
  options: {
    explanation: string;
    speakers?: number;
    afterRound?: (round: number) => Promise<void>;
    beforeNextRound?: (round: number) => Promise<void>;
  },
): Promise<void> {
  const speakers = options.speakers ?? 2;
  for (const round of [1, 2]) {
    await judgeRound(page, round, 3, speakers);
    await options.afterRound?.(round);
    await page.getByRole("slider").fill(round === 1 ? "60" : "65");
    await options.beforeNextRound?.(round);
    await page.getByRole("button", { name: "Next round" }).click();
  }
  await judgeRound(page, 3, 3, speakers);
  await options.afterRound?.(3);
  // The last round goes straight to the verdict form.
  await expect(page.getByRole("button", { name: "Next round" })).toHaveCount(0);
  await submitVerdict(page, traffic, options.explanation);
  // Every verified quote is highlighted in the revealed story.
  expect(await page.getByRole("article", { name: "The story" }).locator("mark").count()).toBeGreaterThan(0);
}

/**
 * From an open verdict form: 70% on the option on the slider's right, an explanation, "Submit verdict"; then waits
 * for the result, the score and the revealed story.
 */
export async function submitVerdict(page: Page, traffic: Traffic, explanation: string): Promise<void> {
  await page.getByRole("slider").fill("70");
  await expect(page.getByTestId("p-right")).toHaveText("70%");
  await page.getByLabel("Why? (optional)").fill(explanation);
  traffic.markVerdictSubmitted();
  await page.getByRole("button", { name: "Submit verdict" }).click();

  await expect(page.getByRole("status").filter({ hasText: /You were right|Not this time/ })).toBeVisible();
  await expect(page.getByTestId("score")).toHaveText(/^-?\d+\.\d{3}$/);
  await expect(page.getByRole("article", { name: "The story" })).toBeVisible();
}

/**
 * Starts a match of `protocol` on one QuALITY question of the shipped bank (by its QuALITY id), through the API the
 * Play form also posts to, and opens it: for a test whose checks depend on the story (a random pick could be one
 * where the offline debaters quote nothing, or quote the same sentences).
 */
export async function startMatchOn(page: Page, protocol: string, qualityId: string): Promise<void> {
  const db = createDb(process.env.E2E_DATABASE_URL);
  const question = await db.question
    .findFirstOrThrow({ where: { source: "quality", externalId: qualityId }, select: { id: true } })
    .finally(() => db.$disconnect());
  await page.goto("/");
  const response = await page.request.post("/api/matches", { data: { protocol, questionId: question.id } });
  expect(response.status(), await response.text()).toBe(201);
  const { url } = z.object({ url: z.string() }).parse(await response.json());
  await page.goto(url);
  await expect(page.getByTestId("question")).toBeVisible();
}

/** Opens the home page, chooses a format (by its label in the "Format" select) and starts a match. */
export async function startMatch(page: Page, format?: string): Promise<void> {
  await page.goto("/");
  if (format !== undefined) await page.getByRole("combobox", { name: "Format" }).selectOption({ label: format });
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await expect(page).toHaveURL(/\/match\//);
  await expect(page.getByTestId("question")).toBeVisible();
}

/** The match on the current page as stored (question, passage, verdict, turns), from the e2e server's database. */
export async function storedMatch(page: Page) {
  const matchId = new URL(page.url()).pathname.split("/match/")[1] ?? "";
  const db = createDb(process.env.E2E_DATABASE_URL);
  try {
    return await db.match.findUniqueOrThrow({
      where: { id: matchId },
      include: {
        question: { include: { passage: true } },
        verdict: true,
        turns: true,
        modelCalls: { orderBy: { createdAt: "asc" } },
      },
    });
  } finally {
    await db.$disconnect();
  }
}

/**
 * Checks what the browser received before the verdict against the stored secrets: no story (its first and last
 * 300 characters, and its longest plain stretches), no gold or correctness field, no reveal, and none of `secrets`
 * (e.g. API keys) at any time; and that the reveal did arrive after the verdict, with the stored verdict and the
 * correct answer shown. With `storyShown` (the expert protocol) the story must have arrived, but still no answer.
 */
export async function expectNothingLeakedBeforeVerdict(
  page: Page,
  traffic: Traffic,
  match: Awaited<ReturnType<typeof storedMatch>>,
  options: { secrets?: string[]; storyShown?: boolean } = {},
): Promise<void> {
  const story = match.question.passage?.text ?? "";
  expect(story.length).toBeGreaterThan(1000);
  const early = traffic.beforeVerdict.join("\n");
  expect(early.length).toBeGreaterThan(1000);
  // Frames carry the story JSON-escaped (and HTML escaped differently again), so besides its ends as written, look
  // for long stretches of it that no escaping changes. The expert judge is shown the story: there they must arrive.
  // Debaters quote the story, so stretches they quoted are allowed through.
  const stretches = plainStretches(
    story,
    match.turns.map((t) => t.text),
  );
  expect(stretches.length).toBeGreaterThan(0);
  if (options.storyShown) {
    for (const stretch of stretches) expect(early).toContain(stretch);
  } else {
    for (const piece of [story.slice(0, 300), story.slice(-300)]) {
      expect(early).not.toContain(piece);
      expect(early).not.toContain(JSON.stringify(piece).slice(1, -1));
    }
    for (const stretch of stretches) expect(early).not.toContain(stretch);
  }
  expect(early).not.toMatch(/\\?"(gold|correct)\\?":/);
  expect(early).not.toMatch(/\\?"reveal\\?":\{/);
  const all = traffic.received.join("\n");
  for (const secret of options.secrets ?? []) expect(all).not.toContain(secret);
  // And afterwards the reveal did arrive.
  expect(all).toMatch(/"gold":\d/);
  // The judge put 70% on the option shown on the slider's right (options are shown in a per-match order).
  const { optionOrder } = z.object({ optionOrder: z.array(z.number()).default([0, 1]) }).parse(match.config);
  expect(match.verdict?.chosen).toBe(optionOrder[1]);
  await expect(page.getByTestId("gold-answer")).toHaveText(
    (JSON.parse(JSON.stringify(match.question.options)) as string[])[match.question.gold] ?? "",
  );
}

/**
 * The five longest stretches (at least 40 characters) of `text` made only of characters that neither JSON nor HTML
 * escape, so they appear verbatim in any frame or page that carries the text; none found in any of `except`.
 */
export function plainStretches(text: string, except: string[] = []): string[] {
  const runs = text.match(/[A-Za-z0-9 ,.;:!?()-]{40,}/g) ?? [];
  return runs
    .map((run) => run.trim())
    .filter((run) => !except.some((other) => other.includes(run)))
    .sort((a, b) => b.length - a.length)
    .slice(0, 5);
}

/** The password of every account the browser tests seed. */
export const E2E_PASSWORD = "a long e2e password";

/** A new researcher account seeded straight into the e2e database; returns its email. */
export async function seedResearcher(): Promise<string> {
  const email = `researcher-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.test`;
  const db = createDb(process.env.E2E_DATABASE_URL);
  try {
    await db.user.create({
      data: { email, role: "researcher", name: "E2E Researcher", passwordHash: await hashPassword(E2E_PASSWORD) },
    });
  } finally {
    await db.$disconnect();
  }
  return email;
}

/** Signs in through the sign-in form the page is on. */
export async function signInThroughForm(page: Page, email: string, password = E2E_PASSWORD): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}
