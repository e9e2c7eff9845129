-- Full-text search over transcripts (lib/transcripts/search.ts): every turn's text, every judge step's message
-- (questions to the debaters, notes) and every verdict's explanation. One external-content FTS5 table per source
-- table: the text is stored once, in Turn/JudgeStep/Verdict; the FTS tables hold only the index, keyed by the
-- source row's rowid, and triggers keep them in step. The rows are append-only (immutable_records), so inserts and
-- the cascade that deletes a whole match are what matters; the update triggers are there for JudgeStep, which has
-- no immutability trigger. Prisma's schema does not describe virtual tables or triggers: a later migration that
-- redefines Turn, JudgeStep or Verdict (CREATE new_…, copy, DROP, RENAME) must recreate these triggers and run
-- INSERT INTO "<Name>Search"("<Name>Search") VALUES('rebuild') (docs/database.md).

CREATE VIRTUAL TABLE "TurnSearch" USING fts5("text", content='Turn', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE "JudgeStepSearch" USING fts5("message", content='JudgeStep', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE "VerdictSearch" USING fts5("explanation", content='Verdict', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');

CREATE TRIGGER "Turn_search_insert" AFTER INSERT ON "Turn"
BEGIN INSERT INTO "TurnSearch"("rowid", "text") VALUES (NEW."rowid", NEW."text"); END;
CREATE TRIGGER "Turn_search_delete" AFTER DELETE ON "Turn"
BEGIN INSERT INTO "TurnSearch"("TurnSearch", "rowid", "text") VALUES ('delete', OLD."rowid", OLD."text"); END;
CREATE TRIGGER "Turn_search_update" AFTER UPDATE OF "text" ON "Turn"
BEGIN
  INSERT INTO "TurnSearch"("TurnSearch", "rowid", "text") VALUES ('delete', OLD."rowid", OLD."text");
  INSERT INTO "TurnSearch"("rowid", "text") VALUES (NEW."rowid", NEW."text");
END;

CREATE TRIGGER "JudgeStep_search_insert" AFTER INSERT ON "JudgeStep"
BEGIN INSERT INTO "JudgeStepSearch"("rowid", "message") VALUES (NEW."rowid", NEW."message"); END;
CREATE TRIGGER "JudgeStep_search_delete" AFTER DELETE ON "JudgeStep"
BEGIN INSERT INTO "JudgeStepSearch"("JudgeStepSearch", "rowid", "message") VALUES ('delete', OLD."rowid", OLD."message"); END;
CREATE TRIGGER "JudgeStep_search_update" AFTER UPDATE OF "message" ON "JudgeStep"
BEGIN
  INSERT INTO "JudgeStepSearch"("JudgeStepSearch", "rowid", "message") VALUES ('delete', OLD."rowid", OLD."message");
  INSERT INTO "JudgeStepSearch"("rowid", "message") VALUES (NEW."rowid", NEW."message");
END;

CREATE TRIGGER "Verdict_search_insert" AFTER INSERT ON "Verdict"
BEGIN INSERT INTO "VerdictSearch"("rowid", "explanation") VALUES (NEW."rowid", NEW."explanation"); END;
CREATE TRIGGER "Verdict_search_delete" AFTER DELETE ON "Verdict"
BEGIN INSERT INTO "VerdictSearch"("VerdictSearch", "rowid", "explanation") VALUES ('delete', OLD."rowid", OLD."explanation"); END;
CREATE TRIGGER "Verdict_search_update" AFTER UPDATE OF "explanation" ON "Verdict"
BEGIN
  INSERT INTO "VerdictSearch"("VerdictSearch", "rowid", "explanation") VALUES ('delete', OLD."rowid", OLD."explanation");
  INSERT INTO "VerdictSearch"("rowid", "explanation") VALUES (NEW."rowid", NEW."explanation");
END;

-- Index what is already there.
INSERT INTO "TurnSearch"("TurnSearch") VALUES ('rebuild');
INSERT INTO "JudgeStepSearch"("JudgeStepSearch") VALUES ('rebuild');
INSERT INTO "VerdictSearch"("VerdictSearch") VALUES ('rebuild');
