import { type Browser, expect, type Page, test } from "@playwright/test";
import { z } from "zod";
import { expectNoSeriousA11yViolations } from "../support/a11y";
import { captureTraffic, startMatch, storedMatch } from "./support";

/**
 * The record and the leaderboard through the browser, as guests: the record is empty, then counts a game that
 * reopens its reveal; the leaderboard ranks players who opted in under a nickname, by mean score, and leaves out one
 * who did not (CRUX_LEADERBOARD_MIN_GAMES is 2 on the e2e server).
 */

/** Plays a "No help" game to its verdict with `pCorrect` on the correct answer (read from the e2e database). */
async function playNaiveGame(page: Page, pCorrect: number): Promise<string> {
  const traffic = captureTraffic(page);
  await startMatch(page, "No help (naive judge)");
  await expect(page.getByRole("heading", { name: "How likely is each answer?" })).toBeVisible();
  const match = await storedMatch(page);
  const { optionOrder } = z.object({ optionOrder: z.array(z.number()).default([0, 1]) }).parse(match.config);
  // The slider gives the probability of the option shown on its right.
  const right = optionOrder[1] === match.question.gold ? pCorrect : 1 - pCorrect;
  await page.getByRole("slider").fill(String(Math.round(right * 100)));
  traffic.markVerdictSubmitted();
  await page.getByRole("button", { name: "Submit verdict" }).click();
  await expect(page.getByTestId("gold-answer")).toBeVisible();
  return match.id;
}

async function newGuest(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test("the record starts empty, counts a game and reopens its reveal", async ({ page }) => {
  await page.goto("/me");
  await expect(page.getByRole("heading", { name: "Your record" })).toBeVisible();
  await expect(page.getByTestId("record-empty")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const matchId = await playNaiveGame(page, 0.8);
  await page.getByRole("link", { name: "Your record" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("record-games")).toHaveText("1");
  await expect(page.getByTestId("record-mean-score")).toHaveText((1 + Math.log2(0.8)).toFixed(2));
  await expect(page.getByTestId("calibration-chart").locator("svg.recharts-surface")).toBeVisible();
  await expect(page.getByRole("row", { name: /No help/ })).toContainText("100%");
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("list", { name: "Your games" }).getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/match/${matchId}$`));
  await expect(page.getByTestId("gold-answer")).toBeVisible();
  await expect(page.getByTestId("score")).toHaveText((1 + Math.log2(0.8)).toFixed(3));
});

test("the leaderboard ranks players who opted in by mean score, and nobody else", async ({ browser }) => {
  const tag = Date.now().toString(36).slice(-5);
  const players = [
    { nickname: `High ${tag}`, p: 0.9, optIn: true },
    { nickname: `Low ${tag}`, p: 0.6, optIn: true },
    { nickname: `Hidden ${tag}`, p: 0.95, optIn: false },
  ];
  for (const player of players) {
    const page = await newGuest(browser);
    for (let game = 0; game < 2; game++) await playNaiveGame(page, player.p);
    await page.goto("/me");
    await expect(page.getByTestId("record-games")).toHaveText("2");
    if (player.optIn) {
      await page.getByLabel("Nickname").fill("me@example.com");
      await page.getByRole("button", { name: "Join the leaderboard" }).click();
      await expect(page.getByText(/Use letters, digits/)).toBeVisible();
      await page.getByLabel("Nickname").fill(player.nickname);
      await page.getByRole("button", { name: "Join the leaderboard" }).click();
      await expect(page.getByTestId("leaderboard-status")).toContainText(`as ${player.nickname}`);
    }
    await page.context().close();
  }

  const page = await newGuest(browser);
  await page.goto("/leaderboard");
  const names = await page.getByTestId("leaderboard-row").getByRole("rowheader").allTextContents();
  const mine = names.filter((name) => name.endsWith(tag));
  expect(mine).toEqual([`High ${tag}`, `Low ${tag}`]);
  await expect(page.getByText(/@/)).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  // A nickname is unique whatever its case.
  await playNaiveGame(page, 0.7);
  await page.goto("/me");
  await page.getByLabel("Nickname").fill(`high ${tag}`.toUpperCase());
  await page.getByRole("button", { name: "Join the leaderboard" }).click();
  await expect(page.getByText("Another player has that nickname. Choose another.")).toBeVisible();
  await page.context().close();
});
