import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The axe impacts a page must not have: the ones that stop or seriously hinder someone using assistive technology. */
const BLOCKING_IMPACTS = new Set(["serious", "critical"]);

/**
 * Runs axe (WCAG 2.0/2.1 A and AA rules, plus axe's best practices) on the page as it is now and fails with a
 * readable list — rule, impact, help text and the first offending elements — if any violation is serious or
 * critical. Minor and moderate findings are not failures. `exclude` takes CSS selectors of regions to leave out
 * (e.g. a third-party widget); prefer fixing the page.
 */
export async function expectNoSeriousA11yViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const blocking = results.violations.filter((violation) => BLOCKING_IMPACTS.has(violation.impact ?? ""));
  const report = blocking.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes
        .slice(0, 5)
        .map((node) => `    ${node.target.join(" ")} — ${node.failureSummary?.replaceAll("\n", " ") ?? ""}`)
        .join("\n"),
  );
  expect(report, `serious or critical accessibility violations on ${page.url()}`).toEqual([]);
}
