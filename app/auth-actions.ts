"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { gitHubEnabled, signIn, signOut } from "@/lib/auth/config";
import { type AuthFormState, callbackUrlSchema, fieldErrors, signInSchema, signUpSchema } from "@/lib/auth/credentials";
import { deleteGuestSession, SESSION_COOKIE } from "@/lib/auth/guest";
import { requireAccount } from "@/lib/auth/session";
import { signInErrorMessage } from "@/lib/auth/sign-in-messages";
import { revokeUserSessions } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { formFields, formText as text } from "@/lib/form-data";

/** next-auth's refusal (CredentialsSignin with our code, or another AuthError) as a message for the form. */
function refusal(error: unknown): string {
  if (!(error instanceof AuthError)) throw error;
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  return signInErrorMessage(error.type, code);
}

/** Signed in: the guest cookie (whose session was ended when signing in) goes, then on to where they were going. */
async function finishSignIn(callbackUrl: string): Promise<never> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect(callbackUrl);
}

/** Sign in with email and password (next-auth's `credentials` provider). */
export async function signInAction(_previous: AuthFormState, input: unknown): Promise<AuthFormState> {
  const formData = formFields(input);
  const values = { email: text(formData, "email") };
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) return { fields: fieldErrors(parsed.error), values };
  const callbackUrl = callbackUrlSchema.parse(text(formData, "callbackUrl"));
  try {
    await signIn("credentials", { ...parsed.data, redirect: false, redirectTo: callbackUrl });
  } catch (error) {
    return { error: refusal(error), values };
  }
  return finishSignIn(callbackUrl);
}

/** Create an account (next-auth's `signup` provider); a guest keeps their user and games. */
export async function signUpAction(_previous: AuthFormState, input: unknown): Promise<AuthFormState> {
  const formData = formFields(input);
  const values = { email: text(formData, "email"), name: text(formData, "name") };
  const parsed = signUpSchema.safeParse({
    email: formData.get("email"),
    password: formData.get("password"),
    name: text(formData, "name"),
  });
  if (!parsed.success) return { fields: fieldErrors(parsed.error), values };
  const callbackUrl = callbackUrlSchema.parse(text(formData, "callbackUrl"));
  try {
    await signIn("signup", {
      email: parsed.data.email,
      password: parsed.data.password,
      name: parsed.data.name ?? "",
      redirect: false,
      redirectTo: callbackUrl,
    });
  } catch (error) {
    return { error: refusal(error), values };
  }
  return finishSignIn(callbackUrl);
}

/** "Sign in with GitHub" (only offered when configured; refused with a message on the sign-in page otherwise). */
export async function gitHubSignInAction(input: unknown): Promise<void> {
  if (!gitHubEnabled()) redirect("/signin?error=GitHubUnavailable");
  await signIn("github", { redirectTo: callbackUrlSchema.parse(text(formFields(input), "callbackUrl")) });
}

/** Sign out on this browser: the account session and any guest session end. */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  await deleteGuestSession(getDb(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  // Redirect ourselves (relative), rather than to the absolute URL next-auth would build from its configured host.
  await signOut({ redirect: false });
  redirect("/");
}

/** Sign out on every browser and device: all of this account's sessions stop working. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await requireAccount({ callbackUrl: "/account" });
  await revokeUserSessions(getDb(), user.id);
  await signOutAction();
}
