import { test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/a11y";
import { judgeRound, startMatch } from "./support";

/** axe finds no serious or critical accessibility violation on the landing page and on the judge's page mid-match. */
test("the landing page has no serious accessibility violations", async ({ page }) => {
  await page.goto("/");
  await expectNoSeriousA11yViolations(page);
});

test("the judge's page has no serious accessibility violations", async ({ page }) => {
  await startMatch(page);
  await judgeRound(page, 1);
  await expectNoSeriousA11yViolations(page);
});
