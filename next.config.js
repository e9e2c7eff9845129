// @ts-check
// Plain JavaScript, as the project layout specifies; `@ts-check` and the JSDoc type keep it type-checked.

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Server-only packages that must not be bundled (native addon, generated client).
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "pg",
    "@prisma/adapter-pg",
    "@prisma/client",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  // `forbidden()`: a refused transcript is a real 403 page (app/transcripts/forbidden.tsx), not a 200 with a notice.
  experimental: { authInterrupts: true },
};

export default nextConfig;
