import { z } from "zod";

/**
 * The nickname a player appears under on the leaderboard: the one schema for the form and the server action.
 * 3–24 characters after trimming (NFKC-normalised), letters, digits, single spaces, `_`, `-` and `.`, starting and
 * ending with a letter or digit: no `@`, so never an email address. Unique whatever the case ({@link nicknameKey}).
 * A few names that would look official are reserved.
 */
export const NICKNAME_MIN = 3;
export const NICKNAME_MAX = 24;
const RESERVED = new Set(["admin", "administrator", "crux", "moderator", "staff", "support", "system", "guest"]);

export const nicknameSchema = z
  .string()
  .transform((value) => value.normalize("NFKC").trim())
  .pipe(
    z
      .string()
      .min(NICKNAME_MIN, `Use at least ${NICKNAME_MIN} characters.`)
      .max(NICKNAME_MAX, `Use at most ${NICKNAME_MAX} characters.`)
      .regex(
        /^[\p{L}\p{N}](?:[\p{L}\p{N}_.-]| (?! ))*[\p{L}\p{N}]$/u,
        "Use letters, digits, single spaces, _ - and . only, starting and ending with a letter or digit.",
      )
      .refine((value) => !RESERVED.has(nicknameKey(value).replace(/[ _.-]/g, "")), "That nickname is reserved."),
  );
export type Nickname = z.infer<typeof nicknameSchema>;

/** The form of the leaderboard setting on `/me`. */
export const joinLeaderboardSchema = z.object({ nickname: nicknameSchema });

/** What makes two nicknames the same: case folded. */
export function nicknameKey(nickname: string): string {
  return nickname.normalize("NFKC").trim().toLocaleLowerCase("en");
}
