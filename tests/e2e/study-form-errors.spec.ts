import { expect, type Page, test } from "@playwright/test";
import { E2E_LLM_DEBATER } from "../../playwright.config";
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

test("the design form speaks plainly, checks as the researcher types, and offers choices instead of codes", async ({
  page,
}) => {
  await page.goto("/studies/new");
  await signInAsNewResearcher(page);
  await expect(page.getByRole("heading", { name: "New study" })).toBeVisible();
  const create = page.getByRole("button", { name: "Create study" });
  const summary = page.getByRole("alert").filter({ hasText: "not saved" });
  const first = page.getByRole("group", { name: "Condition 1" });

  // First attempt: plain words, each at its field and in the list with the field's name.
  await page.getByLabel("Study name").fill("x".repeat(201));
  await first.getByLabel("Word limit").fill("5000");
  await create.click();
  await expect(summary).toContainText("Name: must be at most 200 characters");
  await expect(summary).toContainText("Condition 1 – word limit: must be at most 1000 words");
  await expect(summary).not.toContainText(/Too big|expected|conditions\.0/);
  await expect(first.getByText("must be at most 1000 words", { exact: true })).toBeVisible();
  await expect(page.getByText("must be at most 200 characters", { exact: true })).toBeVisible();

  // Second attempt: only its own messages.
  await page.getByLabel("Study name").fill("Plain words");
  await first.getByLabel("Word limit").fill("100");
  await first.getByLabel("Rounds").fill("three");
  await create.click();
  await expect(summary).toContainText("Condition 1 – rounds: must be a number");
  await expect(first.getByText("must be a number", { exact: true })).toBeVisible();
  await expect(page.getByText("must be at most 1000 words")).toHaveCount(0);
  await expect(page.getByText("must be at most 200 characters")).toHaveCount(0);
  await first.getByLabel("Rounds").fill("1");

  // The number of questions against the chosen set, at once.
  const set = page.getByLabel("Question set");
  await set.selectOption("quality");
  const label = (await set.locator("option:checked").textContent()) ?? "";
  const size = Number(/\((\d+) questions\)/.exec(label)?.[1]);
  expect(size).toBeGreaterThan(2);
  const count = page.getByLabel("Number of questions");
  await expect(page.getByText(`This set has ${size} questions.`)).toBeVisible();
  await count.fill(String(size + 1));
  const tooMany = `the set "quality" has ${size} questions; ask for at most ${size}`;
  await expect(page.getByText(tooMany, { exact: true })).toBeVisible();
  await expect(count).toHaveAttribute("aria-invalid", "true");
  await count.fill("2");
  await expect(page.getByText(tooMany)).toHaveCount(0);

  // Models from lists by role; a typed spec is checked on leaving the field.
  const debaters = first.getByLabel("Debaters");
  const judge = first.getByLabel("Judge", { exact: true });
  const offered = async (input: typeof debaters) => {
    const id = await input.getAttribute("list");
    return page
      .locator(`datalist[id="${id}"] option`)
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  };
  expect(await offered(debaters)).toEqual(expect.arrayContaining(["offline:extractive", E2E_LLM_DEBATER]));
  expect(await offered(debaters)).not.toContain("human");
  expect(await offered(judge)).toEqual(expect.arrayContaining(["human", "offline:heuristic"]));
  await debaters.fill("gpt9000");
  await debaters.blur();
  await expect(first.getByText(/`gpt9000` is not a model spec/)).toBeVisible();
  await debaters.fill("offline:extractive");
  await expect(first.getByText(/is not a model spec/)).toHaveCount(0);

  // Instructions follow the protocol until edited.
  const instructions = page.getByLabel("Instructions");
  await expect(instructions).toHaveValue(/^Two AI debaters argue/);
  await first.getByLabel("Protocol").selectOption("consultancy");
  await expect(instructions).toHaveValue(/^One AI consultant argues/);
  await expect(instructions).not.toHaveValue(/two AI debaters/i);

  // A check question's answer is clicked; a survey question's id is made from its prompt.
  await page.getByRole("button", { name: "Add check question" }).click();
  const check = page.getByRole("group", { name: "Check question 1" });
  await check.getByLabel("Question").fill("What colour is the sky?");
  await check.getByLabel("Options (one per line)").fill("Green\nBlue");
  await check.getByRole("radio", { name: "Blue" }).check();
  await expect(check.getByRole("radio", { name: "Green" })).not.toBeChecked();
  await page.getByRole("button", { name: "Add survey question" }).click();
  const survey = page.getByRole("group", { name: "Survey question 1" });
  await survey.getByLabel("Prompt").fill("How confident were you?");
  await expect(survey.getByLabel("Id")).toHaveValue("confident");

  await page.getByRole("button", { name: "Edit as YAML/JSON" }).click();
  const yaml = page.getByLabel("Study design (YAML or JSON)");
  await expect(yaml).toHaveValue(/answer: 1\n/);
  await expect(yaml).toHaveValue(/id: confident\n/);
  // The server checks the number of questions when the design is saved, too.
  await yaml.fill((await yaml.inputValue()).replace(/count: 2\n/, `count: ${size + 1}\n`));
  await create.click();
  await expect(summary).toContainText(`Number of questions: ${tooMany}`);
  await yaml.fill((await yaml.inputValue()).replace(`count: ${size + 1}\n`, "count: 2\n"));
  await create.click();
  await expect(page).toHaveURL(/\/studies\/[^/]+$/);
});
