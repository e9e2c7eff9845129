import Link from "next/link";
import { AuthForm } from "@/components/auth-form";
import { callbackUrlSchema } from "@/lib/auth/credentials";
import { getCurrentUser } from "@/lib/auth/session";
import { signUpAction } from "../auth-actions";

export const metadata = { title: "Create an account — Crux" };

/** Create a player account. A guest who signs up keeps their games: the same user becomes an account. */
export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { callbackUrl: raw } = await searchParams;
  const callbackUrl = callbackUrlSchema.parse(typeof raw === "string" ? raw : undefined);
  const user = await getCurrentUser();
  const signInHref = callbackUrl === "/" ? "/signin" : `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return (
    <section className="auth-page">
      <h1>Create an account</h1>
      {user?.role === "guest" && (
        <p className="notice-text">You have been playing as a guest: your games stay with you when you sign up.</p>
      )}
      <AuthForm mode="signup" action={signUpAction} callbackUrl={callbackUrl} />
      <p>
        Already have an account? <Link href={signInHref}>Sign in</Link>
      </p>
    </section>
  );
}
