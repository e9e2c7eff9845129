import { expect, test } from "@playwright/test";
import { createDb } from "../../lib/db/client";
import { captureTraffic, storedMatch, submitVerdict } from "./support";

/**
 * "Judge a real debate": on the server's fresh database (the shipped NYU 2023 debates seeded on start), a guest goes
 * from the home page to the reveal of a recorded debate, with the browser allowed nowhere but Crux itself and no model
 * called. Before the verdict nothing of the source's own judgment arrives; after it, the page says how the original
 * judge did.
 */
test("a guest judges a real NYU 2023 debate and then sees how its original judge did", async ({ page, baseURL }) => {
  const origin = new URL(baseURL ?? "http://127.0.0.1").origin;
  const outside: string[] = [];
  await page.context().route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const traffic = captureTraffic(page);

  await page.goto("/");
  await page.getByRole("button", { name: "Judge a real debate" }).click();
  await expect(page).toHaveURL(/\/match\//);
  await expect(page.getByTestId("recorded-note")).toContainText("round by round");
  await expect(page.getByText("recorded debater").first()).toBeVisible();
  const speakers = await page.locator(".debaters li[class^='seat-']").count();

  // Round 1, then "Next round"; after round 2, the verdict (straight away when the debate had only two rounds).
  await expect(page.getByRole("heading", { name: /^Round 1 of \d+/ })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("turn")).toHaveCount(speakers);
  await page.getByRole("slider").fill("60");
  await page.getByRole("button", { name: "Next round" }).click();
  await expect(page.getByRole("heading", { name: /^Round 2 of \d+/ })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("turn")).toHaveCount(2 * speakers);
  const decideNow = page.getByRole("button", { name: "Decide now" });
  if ((await decideNow.count()) > 0) await decideNow.click();
  await submitVerdict(page, traffic, "Stopped after two rounds.");

  const match = await storedMatch(page);
  expect(match.protocol).toBe("recorded");
  expect(match.sourceMatchId).toEqual(expect.any(String));
  expect(match.modelCalls).toHaveLength(0);
  expect(match.turns.every((t) => t.model.startsWith(`recorded:${match.sourceMatchId}:`))).toBe(true);
  const db = createDb(process.env.E2E_DATABASE_URL);
  const source = await db.match
    .findUniqueOrThrow({ where: { id: match.sourceMatchId ?? "" }, include: { verdict: true, study: true } })
    .finally(() => db.$disconnect());
  expect(source.study?.name).toBe("nyu-2023");

  const original = page.getByTestId("original-verdict");
  await expect(original).toContainText("The original judge (a person)");
  if (source.verdict?.chosen === null) await expect(original).toContainText("tie");
  else await expect(original).toContainText(source.verdict?.correct ? "right" : "wrong");

  const early = traffic.beforeVerdict.join("\n");
  expect(early).not.toContain(match.sourceMatchId);
  expect(early).not.toMatch(/\\?"(gold|correct|original)\\?":/);
  const story = match.question.passage?.text ?? "";
  expect(story.length).toBeGreaterThan(1000);
  expect(early).not.toContain(story.slice(-300));
  expect(outside).toEqual([]);
});
