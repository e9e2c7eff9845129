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
  await recordLiveTurns(page);

  await page.goto("/");
  await page.getByRole("combobox", { name: "Debaters" }).selectOption(E2E_LLM_DEBATER);
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await expect(page).toHaveURL(/\/match\//);
  await expect(page.getByTestId("question")).toBeVisible();

  // Both seats are labelled with the model spec, never as the offline debater.
  await expect(page.getByTitle("A language model")).toHaveText([E2E_LLM_DEBATER, E2E_LLM_DEBATER]);
  await expect(page.getByText("offline debater, no language model")).toHaveCount(0);

  await playToVerdict(page, traffic, {
    explanation: "The language models' quotes were verified.",
    afterRound: async (round) => {
      // Every turn of the round was shown live, growing while it was written, then replaced by the finished turn.
      await expect(page.getByTestId("live-turn")).toHaveCount(0);
      const observed = await takeLiveTurnLog(page);
      const bySeat = new Map<string, LiveTurnSample[]>();
      for (const sample of observed) bySeat.set(sample.seat, [...(bySeat.get(sample.seat) ?? []), sample]);
      expect([...bySeat.keys()].sort(), `round ${round}: seats seen writing`).toEqual(["A", "B"]);
      for (const [seat, samples] of bySeat) {
        const lengths = samples.map((s) => s.length);
        const context = `round ${round}, debater ${seat}, live text lengths ${lengths.join(", ")}`;
        expect(new Set(samples.map((s) => s.element)).size, context).toBe(1);
        expect(
          samples.every((s) => s.visible),
          context,
        ).toBe(true);
        // At least three observations, each longer than the one before: the text grew at least twice.
        expect(lengths.length, context).toBeGreaterThanOrEqual(3);
        const growing = lengths.every((length, i) => i === 0 || length > (lengths[i - 1] ?? 0));
        expect(growing, context).toBe(true);
        // Written over time, as a person watching sees it: the provider pauses 15 ms before each of 20+ words.
        const span = (samples.at(-1)?.at ?? 0) - (samples[0]?.at ?? 0);
        expect(span, `${context}, over ${Math.round(span)} ms`).toBeGreaterThanOrEqual(200);
      }
    },
  });

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

/** What the page showed of a live turn at one moment. */
interface LiveTurnSample {
  /** Which live-turn element (numbered in order of appearance). */
  element: number;
  seat: string;
  /** Length of the element's text (header and the turn so far). */
  length: number;
  /** Whether the element was rendered visibly at that moment. */
  visible: boolean;
  /** `performance.now()` in the page. */
  at: number;
}

declare global {
  interface Window {
    __cruxLiveTurns?: LiveTurnSample[];
  }
}

/**
 * Records, inside the page, every change of every live turn's text as the browser renders it. Sampling from the
 * test process instead would depend on round-trip timing: a turn streams in well under a second.
 */
async function recordLiveTurns(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const log: LiveTurnSample[] = [];
    window.__cruxLiveTurns = log;
    const ids = new WeakMap<Element, number>();
    const lastLength = new WeakMap<Element, number>();
    let elements = 0;
    const sample = () => {
      for (const element of document.querySelectorAll('[data-testid="live-turn"]')) {
        const text = element.textContent ?? "";
        if (lastLength.get(element) === text.length) continue;
        lastLength.set(element, text.length);
        let id = ids.get(element);
        if (id === undefined) {
          id = elements++;
          ids.set(element, id);
        }
        log.push({
          element: id,
          seat: /^Debater ([AB])/.exec(text)?.[1] ?? "?",
          length: text.length,
          visible: element.checkVisibility(),
          at: performance.now(),
        });
      }
    };
    new MutationObserver(sample).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

/** The live-turn samples recorded since the last call. */
async function takeLiveTurnLog(page: Page): Promise<LiveTurnSample[]> {
  return page.evaluate(() => window.__cruxLiveTurns?.splice(0) ?? []);
}
