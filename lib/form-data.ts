/**
 * A server action's argument as it arrives: a `FormData` when a form sent it, but anything at all when someone calls the
 * action's endpoint by hand (its arguments are whatever they encode). Actions read their fields through these two, so a
 * hand-made argument is refused like an empty form, with the action's usual message, and never crashes the action.
 */
export function formFields(input: unknown): FormData {
  return input instanceof FormData ? input : new FormData();
}

/** A text field of the form, or undefined when it is missing or a file. */
export function formText(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}
