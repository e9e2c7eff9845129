-- Verdicts and completed turns are records of what happened: once written they never change.
-- A correction is a new record with its reason, never an edit. These triggers make the database refuse any UPDATE,
-- and any DELETE except the cascade that removes a whole match (the match row is already gone when its children
-- are deleted). Prisma's schema does not describe triggers: a later migration that redefines one of these tables
-- (CREATE new_…, copy, DROP, RENAME) drops its triggers and must create them again (docs/database.md).

CREATE TRIGGER "Turn_immutable_update" BEFORE UPDATE ON "Turn"
BEGIN SELECT RAISE(ABORT, 'Turn rows are immutable: a completed turn is never changed'); END;
CREATE TRIGGER "Turn_immutable_delete" BEFORE DELETE ON "Turn"
WHEN EXISTS (SELECT 1 FROM "Match" WHERE "id" = OLD."matchId")
BEGIN SELECT RAISE(ABORT, 'Turn rows are immutable: a completed turn is only deleted with its match'); END;

CREATE TRIGGER "Verdict_immutable_update" BEFORE UPDATE ON "Verdict"
BEGIN SELECT RAISE(ABORT, 'Verdict rows are immutable: a verdict is never changed'); END;
CREATE TRIGGER "Verdict_immutable_delete" BEFORE DELETE ON "Verdict"
WHEN EXISTS (SELECT 1 FROM "Match" WHERE "id" = OLD."matchId")
BEGIN SELECT RAISE(ABORT, 'Verdict rows are immutable: a verdict is only deleted with its match'); END;
