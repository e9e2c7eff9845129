"use client";

import { useActionState, useId } from "react";
import { NICKNAME_MAX, NICKNAME_MIN } from "@/lib/players/nickname";

/** What the leaderboard actions answer (app/me/actions.ts). */
interface FormState {
  ok?: boolean;
  message?: string;
  fieldError?: string;
  nickname?: string;
}
type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/**
 * The leaderboard setting on `/me`: opt in under a nickname (or change it), or opt out. Nobody appears on the
 * leaderboard without choosing a nickname here; the email address is never shown.
 */
export function LeaderboardSetting({
  nickname,
  join,
  leave,
}: {
  nickname: string | null;
  join: Action;
  leave: Action;
}) {
  const [joined, joinAction, joining] = useActionState(join, {});
  const [left, leaveAction, leaving] = useActionState(leave, {});
  const id = useId();
  const state = joined.message || joined.fieldError ? joined : left;
  const described = [`${id}-hint`, joined.fieldError ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="leaderboard-setting">
      {nickname ? (
        <p data-testid="leaderboard-status">
          You are on the leaderboard as <strong>{nickname}</strong>.
        </p>
      ) : (
        <p data-testid="leaderboard-status">You are not on the leaderboard. Choose a nickname to take part.</p>
      )}
      <form action={joinAction} className="inline-form" noValidate>
        <div className="field">
          <label htmlFor={id}>Nickname</label>
          <input
            id={id}
            name="nickname"
            required
            minLength={NICKNAME_MIN}
            maxLength={NICKNAME_MAX}
            autoComplete="nickname"
            aria-invalid={joined.fieldError ? true : undefined}
            aria-describedby={described}
            key={joined.nickname ?? nickname ?? ""}
            defaultValue={joined.nickname ?? nickname ?? ""}
          />
          <p id={`${id}-hint`} className="hint">
            {NICKNAME_MIN}–{NICKNAME_MAX} letters, digits, spaces, _ - or . — shown publicly instead of your name.
          </p>
          {joined.fieldError && (
            <p id={`${id}-error`} className="error">
              {joined.fieldError}
            </p>
          )}
        </div>
        <button type="submit" className="button primary" disabled={joining}>
          {nickname ? "Change nickname" : "Join the leaderboard"}
        </button>
      </form>
      {nickname && (
        <form action={leaveAction}>
          <button type="submit" className="button" disabled={leaving}>
            Leave the leaderboard
          </button>
        </form>
      )}
      {state.message && (
        <p role="status" className={state.ok ? "form-ok" : "form-error"}>
          {state.message}
        </p>
      )}
    </div>
  );
}
