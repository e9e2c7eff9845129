/** A minimal leveled logger for the server's own messages (one line each, to stderr except `always`). */
/** Log levels from quietest to noisiest (CRUX_LOG in lib/env.ts takes one). */
export const LOG_LEVELS = ["silent", "error", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const ORDER: Record<LogLevel, number> = { silent: 0, error: 1, info: 2, debug: 3 };

export interface Logger {
  error(line: string): void;
  info(line: string): void;
  debug(line: string): void;
  /** Printed whatever the level (the "ready" line scripts wait for). */
  always(line: string): void;
}

export function createLogger(level: LogLevel): Logger {
  const at = (min: LogLevel) => (line: string) => {
    if (ORDER[level] >= ORDER[min]) process.stderr.write(`[crux] ${line}\n`);
  };
  return {
    error: at("error"),
    info: at("info"),
    debug: at("debug"),
    always: (line) => process.stdout.write(`${line}\n`),
  };
}
