-- CreateTable
CREATE TABLE "criterion_rollups_monthly" (
    "questionnaire_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "criterion_code" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "c1" INTEGER NOT NULL DEFAULT 0,
    "c2" INTEGER NOT NULL DEFAULT 0,
    "c3" INTEGER NOT NULL DEFAULT 0,
    "c4" INTEGER NOT NULL DEFAULT 0,
    "c5" INTEGER NOT NULL DEFAULT 0,
    "c_na" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "criterion_rollups_monthly_pkey" PRIMARY KEY ("questionnaire_id","unit_id","criterion_code","month")
);

-- CreateTable
CREATE TABLE "option_rollups_monthly" (
    "questionnaire_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,
    "question_code" TEXT NOT NULL,
    "option" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "option_rollups_monthly_pkey" PRIMARY KEY ("questionnaire_id","unit_id","question_code","option","month")
);

-- CreateIndex
CREATE INDEX "criterion_rollups_questionnaire_id_day_idx" ON "criterion_rollups"("questionnaire_id", "day");

-- CreateIndex
CREATE INDEX "option_rollups_questionnaire_id_day_idx" ON "option_rollups"("questionnaire_id", "day");

-- AddForeignKey
ALTER TABLE "criterion_rollups_monthly" ADD CONSTRAINT "criterion_rollups_monthly_questionnaire_id_fkey" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "criterion_rollups_monthly" ADD CONSTRAINT "criterion_rollups_monthly_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "option_rollups_monthly" ADD CONSTRAINT "option_rollups_monthly_questionnaire_id_fkey" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "option_rollups_monthly" ADD CONSTRAINT "option_rollups_monthly_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Backfill (hand-written): the monthly rows are the sums of the existing daily rows.
-- SHARE mode makes answers workers still running wait until this migration commits, so
-- no daily increment committed meanwhile is missing from the monthly sums. Workers must
-- run code that writes the monthly tables from then on (or run `npm run scoring:verify
-- -- --rebuild` after the deploy).
LOCK TABLE "criterion_rollups", "option_rollups" IN SHARE MODE;

INSERT INTO "criterion_rollups_monthly" ("questionnaire_id", "unit_id", "criterion_code", "month", "c1", "c2", "c3", "c4", "c5", "c_na")
SELECT "questionnaire_id", "unit_id", "criterion_code", date_trunc('month', "day"::timestamp)::date,
       SUM("c1")::int, SUM("c2")::int, SUM("c3")::int, SUM("c4")::int, SUM("c5")::int, SUM("c_na")::int
FROM "criterion_rollups"
GROUP BY 1, 2, 3, 4;

INSERT INTO "option_rollups_monthly" ("questionnaire_id", "unit_id", "question_code", "option", "month", "count")
SELECT "questionnaire_id", "unit_id", "question_code", "option", date_trunc('month', "day"::timestamp)::date, SUM("count")::int
FROM "option_rollups"
GROUP BY 1, 2, 3, 4, 5;
