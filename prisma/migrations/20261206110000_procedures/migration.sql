-- The procedure catalogue (thủ tục hành chính): code, name and field (lĩnh vực), for the per-procedure breakdown.
CREATE TABLE "procedures" (
  "code" TEXT PRIMARY KEY,
  "name" TEXT NOT NULL,
  "field" TEXT NOT NULL,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "procedures_field_idx" ON "procedures" ("field");

-- The per-procedure breakdown counts a period's counted completions per unit and procedure from this index alone (index-only scan).
CREATE INDEX "responses_procedure_report_idx" ON "responses" ("questionnaire_id", "completed_day") INCLUDE ("unit_id", "procedure_code", "source", "quality_flags", "is_test")
  WHERE "status" = 'completed' AND "counted";
