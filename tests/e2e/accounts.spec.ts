import { expect, type Page, test } from "@playwright/test";
import { createOrPromoteAdmin } from "../../lib/auth/users";
import { createDb } from "../../lib/db/client";

/** Accounts through the browser: the forms, the header, a guest keeping their match, and the admin page. */

const PASSWORD = "a long e2e password";
let serial = 0;
const uniqueEmail = (tag: string) => `${tag}-${Date.now().toString(36)}-${++serial}@example.test`;

async function signUp(page: Page, email: string, name: string): Promise<void> {
  await page.getByLabel("Name (optional)").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(name);
}

async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("sign up, sign out and sign in through the forms", async ({ page }) => {
  const email = uniqueEmail("e2e");
  await page.goto("/");
  await page.getByRole("link", { name: "Sign up", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();

  // A password that is too short is refused next to its field, and what was typed stays.
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("too short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).toHaveValue(email);

  await signUp(page, email, "E2E Player");
  await expect(page.getByTestId("signed-in-as")).toContainText("(player)");
  // The home page no longer calls them a guest.
  await page.goto("/");
  await expect(page.getByText("Your games are kept in your account.")).toBeVisible();
  await expect(page.getByText(/play as a guest/)).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  await page.getByRole("link", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await signIn(page, email, "not the right password");
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toHaveText(
    "That email and password do not match an account.",
  );
  await expect(page.getByLabel("Email")).toHaveValue(email);

  await signIn(page, email);
  await expect(page.getByTestId("signed-in-as")).toContainText("E2E Player");
});

test("a guest who plays and then signs up still has their match", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Play", exact: true }).click();
  await expect(page).toHaveURL(/\/match\//);
  await expect(page.getByTestId("question")).toBeVisible();
  const matchUrl = page.url();
  const question = (await page.getByTestId("question").textContent()) ?? "";
  await expect(page.getByText("Playing as a guest")).toBeVisible();

  await page.getByRole("link", { name: "Sign up to keep your games" }).click();
  await expect(page.getByText("your games stay with you")).toBeVisible();
  await signUp(page, uniqueEmail("guest"), "Former Guest");

  await page.getByRole("link", { name: "Account", exact: true }).click();
  const games = page.getByRole("list", { name: "Your games" }).getByRole("link");
  await expect(games).toHaveCount(1);
  await games.click();
  await expect(page).toHaveURL(matchUrl);
  await expect(page.getByTestId("question")).toHaveText(question);
  await expect(page.getByText("belongs to another judge")).toHaveCount(0);
});

test("an admin changes a player's role and revokes their sessions", async ({ page, browser }) => {
  const adminEmail = uniqueEmail("admin");
  const db = createDb(process.env.E2E_DATABASE_URL);
  try {
    await createOrPromoteAdmin(db, { email: adminEmail, password: PASSWORD });
  } finally {
    await db.$disconnect();
  }

  // The player, in a browser of their own.
  const playerContext = await browser.newContext();
  const player = await playerContext.newPage();
  const playerEmail = uniqueEmail("player");
  await player.goto("/signup");
  await signUp(player, playerEmail, "Promoted Player");

  // The admin is sent to sign in, and comes back to the page they asked for.
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fusers/);
  await signIn(page, adminEmail);
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();

  const row = page.getByTestId("user-row").filter({ hasText: playerEmail });
  await row.getByLabel(`Role for ${playerEmail}`).selectOption("researcher");
  await row.getByRole("button", { name: `Change role of ${playerEmail}` }).click();
  await expect(row.getByRole("status")).toHaveText("Role set to researcher.");
  await expect(row.getByTestId("user-role")).toHaveText("researcher");
  await player.reload();
  await expect(player.getByTestId("signed-in-as")).toContainText("(researcher)");

  await row.getByRole("button", { name: `Revoke sessions of ${playerEmail}` }).click();
  await expect(row.getByRole("status")).toHaveText("Sessions revoked.");
  await player.reload();
  await expect(player.getByTestId("signed-in-as")).toHaveCount(0);
  await expect(player.getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
  await playerContext.close();
});
