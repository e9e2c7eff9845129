import { expect, test } from "@playwright/test";
import { judgeRound, startMatch } from "./support";

/**
 * The judge's page from the keyboard: `1` / `2` lean toward an option, `Enter` goes on (never while typing), and
 * after "Next round" the focus lands on the new round's slider rather than the top of the page. Plus the site's
 * edges: a missing match is a real 404 page, and the favicon is served.
 */
test("a judge plays a match from the keyboard", async ({ page }) => {
  await startMatch(page);
  await judgeRound(page, 1);
  const slider = page.getByRole("slider");
  await expect(page.getByTestId("p-right")).toHaveText("50%");
  await page.keyboard.press("2");
  await page.keyboard.press("2");
  await expect(page.getByTestId("p-right")).toHaveText("70%");
  await page.keyboard.press("1");
  await expect(page.getByTestId("p-right")).toHaveText("60%");

  // Enter asks for the next round; when its controls appear, the focus is on the slider, where it was left.
  await page.keyboard.press("Enter");
  await judgeRound(page, 2);
  await expect(slider).toBeFocused();
  await expect(slider).toHaveValue("60");
  await page.getByRole("button", { name: "Next round" }).click();
  await judgeRound(page, 3);
  await expect(slider).toBeFocused();

  // The last round asks for the verdict: keys typed into the explanation stay there, and Enter there is a newline.
  const why = page.getByLabel("Why? (optional)");
  await why.fill("");
  await why.pressSequentially("1 2");
  await why.press("Enter");
  await expect(why).toHaveValue("1 2\n");
  await expect(page.getByTestId("p-right")).toHaveText("60%");
  await expect(page.getByRole("button", { name: "Submit verdict" })).toBeVisible();

  // From the slider, Enter submits the verdict.
  await slider.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: /You were right|Not this time/ })).toBeVisible();
});

test("a missing match is a 404 page, and the favicon is there", async ({ page }) => {
  const response = await page.goto("/match/no-such-match");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to the home page" })).toBeVisible();
  expect((await page.goto("/no/such/page"))?.status()).toBe(404);

  await page.goto("/");
  const icon = await page.locator('link[rel="icon"]').getAttribute("href");
  expect(icon).toBeTruthy();
  const favicon = await page.request.get(icon ?? "");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toContain("image/svg+xml");
});
