// Runs in the browser before any page code (Next's client instrumentation). The Content-Security-Policy forbids
// eval (lib/content-security-policy.ts); zod 4 would otherwise probe for it with `new Function` to compile faster
// object parsers, which the browser reports as a violation. The pages parse little, so the interpreted parsers do.
//
// Set through zod's global configuration object (`globalThis.__zod_globalConfig`, which `z.config()` reads and
// writes, created by whichever comes first) rather than by importing zod: an import here would put all of zod in
// every page's first-load JavaScript, pages that never parse anything included (bench/page-weight.ts).
// tests/e2e/rendering-safety.spec.ts fails on a CSP violation, and lib/zod-config.test.ts checks zod sees the flag.
const zodHolder = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
zodHolder.__zod_globalConfig ??= {};
zodHolder.__zod_globalConfig.jitless = true;
