-- The structural changes of the SQLite migrations verdict_ties, match_request_key, match_leases,
-- leaderboard_entries and prompt_parts. Their hand-written SQLite parts need no port: PostgreSQL keeps the Verdict
-- triggers across ALTER COLUMN (SQLite rebuilt the table), and prompt_parts' backfill converts rows written before
-- PostgreSQL was supported, so no PostgreSQL database has any.

-- AlterTable
ALTER TABLE "Match" ADD COLUMN     "requestKey" TEXT;

-- AlterTable
ALTER TABLE "ModelCall" ADD COLUMN     "promptParts" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "StudyVerdict" ALTER COLUMN "chosen" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Verdict" ALTER COLUMN "chosen" DROP NOT NULL;

-- CreateTable
CREATE TABLE "LeaderboardEntry" (
    "userId" TEXT NOT NULL,
    "nickname" TEXT NOT NULL,
    "nicknameKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LeaderboardEntry_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "PromptPart" (
    "id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PromptPart_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MatchLease" (
    "matchId" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MatchLease_pkey" PRIMARY KEY ("matchId")
);

-- CreateIndex
CREATE UNIQUE INDEX "LeaderboardEntry_nicknameKey_key" ON "LeaderboardEntry"("nicknameKey");

-- CreateIndex
CREATE INDEX "MatchLease_holder_idx" ON "MatchLease"("holder");

-- CreateIndex
CREATE UNIQUE INDEX "Match_requestKey_key" ON "Match"("requestKey");

-- AddForeignKey
ALTER TABLE "LeaderboardEntry" ADD CONSTRAINT "LeaderboardEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
