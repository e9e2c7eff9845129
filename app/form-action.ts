import type { z } from "zod";
import type { ActionState } from "@/components/action-form";
import { CruxError, zodErrorMessage } from "@/lib/errors";
import { formFields } from "@/lib/form-data";

/**
 * The one frame of the small forms' server actions (a study's page and monitor, a transcript's annotations): read the
 * form (React's own `$`-fields dropped), require who may act, parse with zod, act, revalidate the page. A parse
 * failure or a CruxError answers with its message for the form's live region; anything else propagates (a 500,
 * logged). Authorization comes before parsing, so a caller without the role learns nothing about the schema.
 */
export function formAction<S extends z.ZodType, U>(frame: {
  schema: S;
  /** Requires the role (redirecting to sign-in, back to `raw`'s page, when it is missing). */
  authorize: (raw: Record<string, FormDataEntryValue>) => Promise<U>;
  /** The one lib call; its answer is the form's message. */
  act: (user: U, data: z.output<S>) => Promise<string>;
  /** The pages to render again after a success. */
  revalidate: (data: z.output<S>) => void;
}): (previous: ActionState, input: unknown) => Promise<ActionState> {
  return async (_previous, input) => {
    const raw = Object.fromEntries([...formFields(input).entries()].filter(([key]) => !key.startsWith("$")));
    const user = await frame.authorize(raw);
    const parsed = frame.schema.safeParse(raw);
    if (!parsed.success)
      return {
        ok: false,
        message: zodErrorMessage(parsed.error, { first: true, path: false, fallback: "Invalid request." }),
      };
    try {
      const message = await frame.act(user, parsed.data);
      frame.revalidate(parsed.data);
      return { ok: true, message };
    } catch (error) {
      if (error instanceof CruxError) return { ok: false, message: error.message };
      throw error;
    }
  };
}

/** A raw form field as text ("" when absent or a file), for the sign-in callback URL. */
export function rawText(raw: Record<string, FormDataEntryValue>, name: string): string {
  const value = raw[name];
  return typeof value === "string" ? value : "";
}
