-- CreateIndex
CREATE INDEX "Match_results_idx" ON "Match"("studyId", "condition", "id", "protocol", "status", "practice", "judgeId", "judgeModel", "questionId", "debaters");
