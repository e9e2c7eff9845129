import { z } from "zod";

// Runs in the browser before any page code (Next's client instrumentation). The Content-Security-Policy forbids
// eval (lib/content-security-policy.ts); zod 4 would otherwise probe for it with `new Function` to compile faster
// object parsers, which the browser reports as a violation. The pages parse little, so the interpreted parsers do.
z.config({ jitless: true });
