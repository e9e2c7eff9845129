import "server-only";
import { forbidden, notFound } from "next/navigation";
import type { SessionUser } from "@/lib/auth/roles";
import { requireAccount } from "@/lib/auth/session";
import { CruxError } from "@/lib/errors";

/**
 * The access rule of the transcript pages, once: an account (else sign in), then the lib's own check inside `load`
 * (who may observe the match). A refusal renders the 403 page (app/transcripts/forbidden.tsx) with status 403, no
 * such match the 404 page with status 404.
 */
export async function loadForPage<T>(callbackUrl: string, load: (user: SessionUser) => Promise<T>): Promise<T> {
  const user = await requireAccount({ callbackUrl });
  try {
    return await load(user);
  } catch (error) {
    if (error instanceof CruxError && error.code === "NOT_FOUND") notFound();
    if (error instanceof CruxError && error.code === "FORBIDDEN") forbidden();
    throw error;
  }
}
