/** Where people are sent to sign in, with where to come back to and why (plain module: the proxy uses it too). */
export const SIGN_IN_PATH = "/signin";

/** Why someone was sent to sign in: not signed in with an account, or signed in without the needed role. */
export type SignInReason = "account" | "forbidden";

/** `/signin?callbackUrl=…&reason=…` */
export function signInPath(options: { callbackUrl?: string; reason?: SignInReason } = {}): string {
  const params = new URLSearchParams();
  if (options.callbackUrl && options.callbackUrl !== "/") params.set("callbackUrl", options.callbackUrl);
  if (options.reason) params.set("reason", options.reason);
  const query = params.toString();
  return query ? `${SIGN_IN_PATH}?${query}` : SIGN_IN_PATH;
}
