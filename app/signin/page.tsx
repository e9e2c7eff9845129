import Link from "next/link";
import { AuthForm } from "@/components/auth-form";
import { gitHubEnabled } from "@/lib/auth/config";
import { callbackUrlSchema } from "@/lib/auth/credentials";
import { getCurrentUser } from "@/lib/auth/session";
import { signInErrorMessage } from "@/lib/auth/sign-in-messages";
import { gitHubSignInAction, signInAction } from "../auth-actions";

export const metadata = { title: "Sign in — Crux" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function one(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * Sign in with email and password (and GitHub when configured). `reason` says why someone was sent here; `error` and
 * `code` come from next-auth when a direct or OAuth callback was refused.
 */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = callbackUrlSchema.parse(one(params.callbackUrl));
  const reason = one(params.reason);
  const error = one(params.error);
  const user = await getCurrentUser();
  const signUpHref = callbackUrl === "/" ? "/signup" : `/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return (
    <section className="auth-page">
      <h1>Sign in</h1>
      {reason === "forbidden" && user && (
        <p className="notice-text" role="status">
          Your account ({user.email ?? user.name}) cannot open that page. Sign in with an account that can.
        </p>
      )}
      {reason === "account" && (
        <p className="notice-text" role="status">
          That page needs an account. Sign in, or create one.
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {signInErrorMessage(error, one(params.code))}
        </p>
      )}
      <AuthForm mode="signin" action={signInAction} callbackUrl={callbackUrl} />
      {gitHubEnabled() && (
        <form action={gitHubSignInAction} className="oauth-form">
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button type="submit" className="button">
            Sign in with GitHub
          </button>
        </form>
      )}
      <p>
        New here? <Link href={signUpHref}>Create an account</Link>
        {user?.role === "guest" && " — your games as a guest come with you."}
      </p>
    </section>
  );
}
