import { PASSWORD_MIN } from "./credentials";

/**
 * Messages for refused sign-ins, from next-auth's error type and our code (they arrive either from a server action
 * or as `?error=…&code=…` on /signin after an OAuth or direct callback). Deliberately vague where precision would
 * tell an attacker which emails have accounts.
 */
export function signInErrorMessage(type: string | undefined, code: string | undefined): string {
  if (type === "CredentialsSignin") {
    switch (code) {
      case "rate_limited":
        return "Too many attempts. Wait 15 minutes, then try again.";
      case "email_taken":
        return "An account with this email already exists: sign in instead.";
      case "invalid_input":
        return `Check the form: a valid email and a password of at least ${PASSWORD_MIN} characters.`;
      default:
        return "That email and password do not match an account.";
    }
  }
  if (type === "OAuthAccountNotLinked") {
    return "That email already has a Crux account: sign in with your password.";
  }
  if (type === "AccessDenied") return "Sign-in was cancelled or refused.";
  if (type === "GitHubUnavailable") return "Signing in with GitHub is not set up on this server.";
  return "Sign-in failed. Please try again.";
}
