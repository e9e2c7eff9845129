#!/usr/bin/env node
// Stand-in for Prisma's native schema engine, which is downloaded from Prisma's servers and so cannot be
// installed offline. `prisma generate` only needs the path to exist. Migrations are applied by
// `npm run db:migrate` (scripts/db.ts), which needs no engine; see docs/database.md.
process.stderr.write(
  "Prisma's native schema engine is not installed (it cannot be downloaded offline).\n" +
    "Use `npm run db:migrate` to apply migrations and `npm run db:diff` to write a new one.\n",
);
process.exit(1);
