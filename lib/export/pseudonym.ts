import { createHmac } from "node:crypto";

/**
 * Pseudonymous judge ids for exports: a short keyed hash of the user id, salted with the study id. Stable across
 * exports of one study (so files exported on different days join), different between studies (so two studies'
 * exports cannot be linked person by person), and not reversible without the database.
 */
export function pseudonymiseJudge(studyId: string, userId: string): string {
  return `j-${createHmac("sha256", `crux-export:${studyId}`).update(userId).digest("hex").slice(0, 12)}`;
}

/** Replaces every known user id inside a JSON text by its pseudonym (event payloads). */
export function pseudonymiseText(text: string, pseudonyms: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [id, pseudonym] of pseudonyms) if (out.includes(id)) out = out.split(id).join(pseudonym);
  return out;
}
