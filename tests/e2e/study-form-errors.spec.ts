import { expect, type Page, test } from "@playwright/test";
import { seedResearcher, signInThroughForm } from "./support";

/**
 * The study design form's messages: each at its field (lists included), replaced on every attempt — a YAML text
 * refused before it reaches the server hides the server's answer to the attempt before — and the list editing
 * (add and remove conditions and survey questions). The researcher is seeded straight into the e2e database.
 */

async function signInAsNewResearcher(page: Page): Promise<void> {
  await signInThroughForm(page, await seedResearcher());
}

test("the design form shows each attempt's messages at their fields, and only that attempt's", async ({ page }) => {
  await page.goto("/studies/new");
  await signInAsNewResearcher(page);
  await expect(page.getByRole("heading", { name: "New study" })).toBeVisible();
  const create = page.getByRole("button", { name: "Create study" });
  const summary = page.getByRole("alert").filter({ hasText: "not saved" });
  const yamlError = page.getByRole("alert").filter({ hasText: "Not valid YAML" });
  const yaml = page.getByLabel("Study design (YAML or JSON)");

  await create.click();
  await expect(summary).toContainText("Name: give the study a name");
  await expect(page.getByText("give the study a name", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Study name")).toHaveAttribute("aria-invalid", "true");

  // Text that is not YAML: refused here, and the server's earlier answer goes with it.
  await page.getByRole("button", { name: "Edit as YAML/JSON" }).click();
  await yaml.fill("name: [unclosed");
  await create.click();
  await expect(yamlError).toBeVisible();
  await expect(summary).toHaveCount(0);

  await yaml.fill("name: x\nconditions: []\n");
  await create.click();
  await expect(summary).toContainText("Conditions: add at least one condition");
  await expect(yamlError).toHaveCount(0);

  // Back in the form the list's message is under the (empty) list; conditions are added and removed.
  await page.getByRole("button", { name: "Back to the form" }).click();
  await expect(page.getByText("add at least one condition", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Remove condition 1" })).toHaveCount(0);
  await page.getByRole("button", { name: "Add condition" }).click();
  await page.getByRole("button", { name: "Add condition" }).click();
  await page.getByRole("button", { name: "Remove condition 1" }).click();
  await expect(page.getByRole("group", { name: "Condition 1" }).getByLabel("Name")).toHaveValue("condition 2");
  await expect(page.getByRole("button", { name: "Remove condition 1" })).toHaveCount(0);

  await page.getByRole("button", { name: "Add survey question" }).click();
  const survey = page.getByRole("group", { name: "Survey question 1" });
  await survey.getByLabel("Id").fill("confidence");
  await survey.getByLabel("Prompt").fill("How sure were you?");
  await survey.getByLabel("Kind").selectOption("choice");
  await create.click();
  await expect(survey.getByText("a choice question needs at least two options")).toBeVisible();
  await expect(page.getByText("add at least one condition", { exact: true })).toHaveCount(0);
});
