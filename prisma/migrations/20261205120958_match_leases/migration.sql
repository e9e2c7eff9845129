-- CreateTable
CREATE TABLE "MatchLease" (
    "matchId" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "MatchLease_holder_idx" ON "MatchLease"("holder");
