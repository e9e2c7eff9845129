-- CreateTable
CREATE TABLE "MatchTag" (
    "matchId" TEXT NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("matchId", "tag"),
    CONSTRAINT "MatchTag_matchId_fkey" FOREIGN KEY ("matchId") REFERENCES "Match" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "MatchTag_tag_idx" ON "MatchTag"("tag");

-- Backfill: imported debates kept their tags only inside their `match.imported` event.
INSERT OR IGNORE INTO "MatchTag" ("matchId", "tag")
SELECT "Event"."matchId", "tags"."value"
FROM "Event", json_each(json_extract("Event"."payload", '$.tags')) AS "tags"
WHERE "Event"."type" = 'match.imported' AND "Event"."matchId" IS NOT NULL AND "tags"."type" = 'text';
