import { expect, type Page, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "../support/a11y";
import { captureTraffic, judgeRound, submitVerdict } from "./support";

/**
 * The judge's page on a phone (390×844, touch): a compact header, the probability slider the full width of the
 * screen with the two answers above it, and a match played to the verdict by dragging the slider with a finger.
 */
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

/** Drags the slider's thumb with one finger to `fraction` (0 = left end, 1 = right end) of its track. */
async function dragSlider(page: Page, fraction: number): Promise<void> {
  const slider = page.getByRole("slider");
  await slider.scrollIntoViewIfNeeded();
  const box = await slider.boundingBox();
  if (!box) throw new Error("the slider is not on screen");
  const value = Number(await slider.inputValue());
  const y = box.y + box.height / 2;
  // Thumb position from the value (1–99), then a drag in steps, as a finger moves.
  const xAt = (f: number) => box.x + 8 + f * (box.width - 16);
  const from = xAt((value - 1) / 98);
  const to = xAt(fraction);
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: "touchStart" | "touchMove" | "touchEnd", x: number) =>
    cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [{ x, y }] });
  await touch("touchStart", from);
  for (let step = 1; step <= 8; step++) await touch("touchMove", from + ((to - from) * step) / 8);
  await touch("touchEnd", to);
  await cdp.detach();
}

test("a phone player judges a match by touch", async ({ page }) => {
  const traffic = captureTraffic(page);
  await page.goto("/");
  const header = await page.locator(".site-header").boundingBox();
  expect(header?.height ?? 999).toBeLessThanOrEqual(90);
  await page.getByRole("button", { name: "Play", exact: true }).tap();
  await expect(page).toHaveURL(/\/match\//);
  await judgeRound(page, 1);

  // The slider spans the screen (less the page's margins); both answers sit above it, side by side.
  const slider = page.getByRole("slider");
  const box = await slider.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThanOrEqual(390 * 0.85);
  for (const side of ["p-left", "p-right"]) {
    const label = await page.getByTestId(side).boundingBox();
    expect((label?.y ?? 999) + (label?.height ?? 0)).toBeLessThanOrEqual(box?.y ?? 0);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectNoSeriousA11yViolations(page);

  await dragSlider(page, 0.8);
  const leaned = Number((await page.getByTestId("p-right").textContent())?.replace("%", ""));
  expect(leaned).toBeGreaterThanOrEqual(70);
  expect(leaned).toBeLessThanOrEqual(90);
  await page.getByRole("button", { name: "Next round" }).tap();
  await judgeRound(page, 2);
  // The slider starts where the finger left it.
  await expect(page.getByTestId("p-right")).toHaveText(`${leaned}%`);
  await dragSlider(page, 0.2);
  const second = Number((await page.getByTestId("p-right").textContent())?.replace("%", ""));
  expect(second).toBeLessThanOrEqual(30);
  await page.getByRole("button", { name: "Decide now" }).tap();
  await submitVerdict(page, traffic, "Decided on a phone.");
});
