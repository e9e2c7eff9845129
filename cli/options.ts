/** The command-line option a zod issue is about (`--rounds`): how the CLI names a field in an error message. */
export function optionName(path: readonly PropertyKey[]): string {
  return `--${String(path[0])}`;
}
