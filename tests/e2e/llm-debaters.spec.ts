import { expect, type Page, test } from "@playwright/test";
import { E2E_LLM_API_KEY, E2E_LLM_DEBATER } from "../../playwright.config";
import { captureTraffic, expectNothingLeakedBeforeVerdict, playToVerdict, storedMatch } from "./support";

/**
 * A guest chooses language-model debaters on the home page and judges a whole debate. The debaters are the fake
 * provider started by playwright.config.ts (scripted answers that quote the story, streamed word by word with a
 * pause), reached through the real model adapter, so the judge must see each turn being written live.
 */
test("a guest judges language-model debaters, watching their turns stream in", async ({ page }) => {
  const traffic = captureTraffic(page);

  await page.goto("/");
  await page.getByRole("combobox", { name: "Debaters" }).selectOption(E2E_LLM_DEBATER);
  await page.getByRole("button", { name: "Play" }).click();
  await expect(page).toHaveURL(/\/match\//);
  await expect(page.getByTestId("question")).toBeVisible();

  // Both seats are labelled with the model spec, never as the offline debater.
  await expect(page.getByTitle("A language model")).toHaveText([E2E_LLM_DEBATER, E2E_LLM_DEBATER]);
  await expect(page.getByText("offline debater, no language model")).toHaveCount(0);

  const growth: number[][] = [];
  await playToVerdict(page, traffic, {
    explanation: "The language models' quotes were verified.",
    onRoundStart: async () => {
      growth.push(await watchLiveTurn(page));
    },
  });
  // Every round showed a turn growing while it was written.
  expect(growth).toHaveLength(3);

  // Every quote the scripted debater made is a sentence of the story, so all of them are verified.
  await expect(page.locator('[data-quote-state="unverified"]')).toHaveCount(0);
  await expect(page.locator('[data-quote-state="pending"]')).toHaveCount(0);

  const match = await storedMatch(page);
  expect(match.turns).toHaveLength(6);
  for (const turn of match.turns) {
    expect(turn.model).toBe(E2E_LLM_DEBATER);
    // The scripted debater's framing: the words came from the provider, not from the offline debater.
    expect(turn.text).toMatch(/^The story supports my answer\. <quote>/);
  }
  // One provider call per turn, answered by the provider (the cache is off for the e2e server), all recorded.
  expect(match.modelCalls).toHaveLength(6);
  for (const call of match.modelCalls) {
    expect(call).toMatchObject({ role: "debater", model: E2E_LLM_DEBATER, cached: false, error: null });
    expect(call.output.length).toBeGreaterThan(0);
  }
  await expectNothingLeakedBeforeVerdict(page, traffic, match, { secrets: [E2E_LLM_API_KEY] });
});

/**
 * Waits for a turn being written and samples its text until it has grown twice while still live. Returns the
 * observed lengths (strictly increasing). Fails if the turn completes before it was seen growing.
 */
async function watchLiveTurn(page: Page): Promise<number[]> {
  const live = page.getByTestId("live-turn");
  await expect(live.first()).toBeVisible({ timeout: 30_000 });
  // Follow one seat: in round 1 both debaters write at once, and either may finish first.
  const header = (await live.first().textContent()) ?? "";
  const seat = /^Debater ([AB])/.exec(header)?.[1];
  expect(seat, `live turn header: ${header}`).toBeDefined();
  const mine = live.filter({ hasText: new RegExp(`^Debater ${seat}\\b`) });
  await expect(mine).toHaveAttribute("aria-busy", "true");

  const lengths: number[] = [];
  const deadline = Date.now() + 20_000;
  while (lengths.length < 3 && Date.now() < deadline) {
    // allTextContents does not wait: it reports what the page shows right now (nothing once the turn is complete).
    const [text] = await mine.allTextContents();
    if (text === undefined) break;
    if (text.length !== lengths.at(-1)) lengths.push(text.length);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(lengths.length, `seat ${seat}'s live text lengths: ${lengths.join(", ")}`).toBeGreaterThanOrEqual(3);
  expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  // The live turn then completes and is replaced by the finished turn.
  await expect(mine).toHaveCount(0, { timeout: 30_000 });
  return lengths;
}
