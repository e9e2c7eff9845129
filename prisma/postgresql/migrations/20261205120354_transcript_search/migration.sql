-- Full-text search over transcripts (lib/transcripts/search.ts), the PostgreSQL counterpart of the SQLite migration
-- of the same name (FTS5 tables kept by triggers). Here the text stays where it is and GIN indexes on the same
-- to_tsvector expressions the search uses (searchPostgres) find it; nothing needs keeping in step. The expressions
-- must stay identical to the queries' for the planner to use them. Prisma's schema does not describe expression
-- indexes, so db:diff neither writes nor drops them.

CREATE INDEX "Turn_search_idx" ON "Turn" USING GIN (to_tsvector('english', coalesce("text", '')));
CREATE INDEX "JudgeStep_search_idx" ON "JudgeStep" USING GIN (to_tsvector('english', coalesce("message", '')));
CREATE INDEX "Verdict_search_idx" ON "Verdict" USING GIN (to_tsvector('english', coalesce("explanation", '')));
