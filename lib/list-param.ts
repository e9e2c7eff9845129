import { z } from "zod";

/** A list from repeated query parameters or comma-separated text: trimmed, de-duplicated, empty entries dropped. */
export const listSchema = z.preprocess(
  (value) => {
    const items = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
    const split = items.flatMap((item) => (typeof item === "string" ? item.split(",") : [item]));
    return [
      ...new Set(split.map((item) => (typeof item === "string" ? item.trim() : item)).filter((item) => item !== "")),
    ];
  },
  z.array(z.string().min(1).max(100)).max(50),
);
