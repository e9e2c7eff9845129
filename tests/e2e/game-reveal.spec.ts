import { expect, test } from "@playwright/test";
import { loadQuestionBank } from "../../lib/questions/seed";
import { expectNoSeriousA11yViolations } from "../support/a11y";
import { captureTraffic, playToVerdict, startMatchOn } from "./support";

/**
 * The reveal after a played debate: the judge's probability path as a chart and their explanation, the score on
 * its scale, each debater's report and the story with each debater's quotes in their own colour; the same reveal
 * again after a reload (it is reachable later from the record), and no serious accessibility violation.
 *
 * The question is fixed: the bank's first, on which the offline debaters quote different sentences whatever the
 * seed. On a random pick, about 1 match in 90 has one debater's quotes all inside the other's (then the story shows
 * only the "both" colour) or no quotes at all (a tone question with no sentence to quote).
 */
test("a played debate ends on a reveal with the chart, the explanation and quotes coloured per debater", async ({
  page,
}) => {
  const traffic = captureTraffic(page);
  const [first] = loadQuestionBank().quality;
  if (!first) throw new Error("the shipped question bank has no QuALITY question");
  await startMatchOn(page, "debate", first.id);
  await playToVerdict(page, traffic, { explanation: "Debater B kept quoting the ending." });

  const checkReveal = async () => {
    await expect(page.getByTestId("format")).toContainText("Format: Debate");
    await expect(page.getByTestId("score-reference")).toContainText("a 50/50 guess scores 0");
    await expect(page.getByTestId("explanation")).toHaveText("Debater B kept quoting the ending.");
    const chart = page.getByTestId("probability-chart");
    await expect(chart.locator("svg.recharts-surface")).toBeVisible();
    // The start, then rounds 1 to 3: four points on the line.
    await expect(chart.locator(".recharts-line-dot")).toHaveCount(4);
    await expect(page.getByTestId("debater-report-A")).toContainText(/argued (the correct|a wrong) answer/);
    await expect(page.getByTestId("debater-report-B")).toContainText(/argued (the correct|a wrong) answer/);

    const story = page.getByRole("article", { name: "The story" });
    const markA = story.locator(".passage-text mark.seat-A").first();
    const markB = story.locator(".passage-text mark.seat-B").first();
    await expect(markA).toBeVisible();
    await expect(markB).toBeVisible();
    const background = (el: Element) => getComputedStyle(el).backgroundColor;
    expect(await markA.evaluate(background)).not.toBe(await markB.evaluate(background));
    await expect(page.getByText("see data/README.md")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "about the data" })).toHaveAttribute("href", "/about/data");
  };
  await checkReveal();
  await expectNoSeriousA11yViolations(page);

  await page.reload();
  await checkReveal();
});
