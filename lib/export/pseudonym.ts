import { createHmac, randomBytes } from "node:crypto";
import type { Db } from "../db/client";

/**
 * Pseudonyms in exports: a short HMAC of the id under the study's own secret key (`Study.exportKey`, made at the
 * study's first export and never shown). Stable across exports of one study (files exported on different days
 * join), different between studies (two studies' exports cannot be linked person by person), and not computable
 * by anyone who knows a participant's Prolific id but not the key.
 */

const digest = (key: string, kind: string, value: string) =>
  createHmac("sha256", key).update(`${kind}:${value}`).digest("hex").slice(0, 12);

/** A judge's (participant's user) id as exported: `j-` and 12 hex digits. */
export function pseudonymiseJudge(key: string, userId: string): string {
  return `j-${digest(key, "judge", userId)}`;
}

/** A recruiting platform's id (Prolific PID, STUDY_ID, SESSION_ID) as exported: `x-` and 12 hex digits. */
export function pseudonymiseExternal(key: string, externalId: string): string {
  return `x-${digest(key, "external", externalId)}`;
}

/** The study's export key, made (once, whoever asks first) when it has none. */
export async function ensureExportKey(db: Db, studyId: string): Promise<string> {
  const read = () => db.study.findUnique({ where: { id: studyId }, select: { exportKey: true } });
  const study = await read();
  if (study?.exportKey) return study.exportKey;
  // Conditional on there being no key, so two first exports at once agree on the one that was written first.
  await db.study.updateMany({
    where: { id: studyId, exportKey: null },
    data: { exportKey: randomBytes(32).toString("base64url") },
  });
  const key = (await read())?.exportKey;
  if (!key) throw new Error(`study ${studyId} has no export key`);
  return key;
}

/** Replaces every known user id inside a JSON text by its pseudonym (event payloads). */
export function pseudonymiseText(text: string, pseudonyms: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [id, pseudonym] of pseudonyms) if (out.includes(id)) out = out.split(id).join(pseudonym);
  return out;
}
