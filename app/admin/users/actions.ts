"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { assignableRoleSchema } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";
import { changeUserRole, revokeUserSessions } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { CruxError } from "@/lib/errors";
import { formFields } from "@/lib/form-data";

/** What a row's forms show after an action. */
export interface UserActionState {
  ok?: boolean;
  message?: string;
}

const userIdSchema = z.string().min(1).max(64);
const changeRoleSchema = z.object({ userId: userIdSchema, role: assignableRoleSchema });

function failure(error: unknown): UserActionState {
  if (error instanceof CruxError) return { ok: false, message: error.message };
  throw error;
}

/** Admin: give an account another role. */
export async function changeRoleAction(_previous: UserActionState, input: unknown): Promise<UserActionState> {
  const admin = await requireRole("admin", { callbackUrl: "/admin/users" });
  const formData = formFields(input);
  const parsed = changeRoleSchema.safeParse({ userId: formData.get("userId"), role: formData.get("role") });
  if (!parsed.success) return { ok: false, message: "Choose one of the listed roles." };
  try {
    const user = await changeUserRole(getDb(), {
      actorId: admin.id,
      actorName: admin.email ?? admin.name,
      ...parsed.data,
    });
    revalidatePath("/admin/users");
    return { ok: true, message: `Role set to ${user.role}.` };
  } catch (error) {
    return failure(error);
  }
}

/** Admin: sign a user out everywhere (their sessions stop working at their next request). */
export async function revokeSessionsAction(_previous: UserActionState, input: unknown): Promise<UserActionState> {
  const admin = await requireRole("admin", { callbackUrl: "/admin/users" });
  const formData = formFields(input);
  const userId = userIdSchema.safeParse(formData.get("userId"));
  if (!userId.success) return { ok: false, message: "No such user." };
  try {
    await revokeUserSessions(getDb(), userId.data, new Date(), { auditAs: admin });
  } catch {
    return { ok: false, message: "No such user." };
  }
  revalidatePath("/admin/users");
  return { ok: true, message: "Sessions revoked." };
}
