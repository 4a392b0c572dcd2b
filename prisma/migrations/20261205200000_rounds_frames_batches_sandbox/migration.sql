-- Survey rounds (đợt khảo sát) with per-unit quotas.
CREATE TABLE "rounds" (
  "id" SERIAL PRIMARY KEY,
  "code" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "questionnaire_id" INTEGER NOT NULL REFERENCES "questionnaires"("id"),
  "opens_on" DATE NOT NULL,
  "closes_on" DATE NOT NULL,
  "eligible_from" DATE,
  "eligible_to" DATE,
  "on_quota_full" TEXT NOT NULL DEFAULT 'continue',
  "closed_at" TIMESTAMP(3),
  "sample_seed" TEXT,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "rounds_code_key" ON "rounds" ("code");

CREATE TABLE "round_quotas" (
  "round_id" INTEGER NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
  "unit_id" INTEGER NOT NULL REFERENCES "units"("id"),
  "target" INTEGER NOT NULL,
  PRIMARY KEY ("round_id", "unit_id")
);
CREATE INDEX "round_quotas_unit_id_idx" ON "round_quotas" ("unit_id");

-- Invitations and responses belong to the round open for their unit (or to none); test data is kept apart.
ALTER TABLE "invitations" ADD COLUMN "round_id" INTEGER REFERENCES "rounds"("id");
ALTER TABLE "invitations" ADD COLUMN "is_test" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "invitations" ADD COLUMN "unopened_reminder_at" TIMESTAMP(3);
-- Round progress reads only this index (index-only scan) even at a million invitations.
CREATE INDEX "invitations_round_progress_idx" ON "invitations" ("round_id", "is_test", "unit_id", "status") INCLUDE ("sent_at", "opened_at", "started_at", "unopened_reminder_at");
CREATE INDEX "invitations_created_by_key_id_created_at_idx" ON "invitations" ("created_by_key_id", "created_at");
CREATE INDEX "invitations_unopened_idx" ON "invitations" ("sent_at") WHERE "status" = 'sent' AND "unopened_reminder_at" IS NULL;

ALTER TABLE "responses" ADD COLUMN "round_id" INTEGER REFERENCES "rounds"("id");
ALTER TABLE "responses" ADD COLUMN "is_test" BOOLEAN NOT NULL DEFAULT false;
-- Round progress counts a round's counted completions from this index alone.
CREATE INDEX "responses_round_counted_idx" ON "responses" ("round_id", "unit_id", "source") WHERE "status" = 'completed' AND "counted" AND NOT "is_test";

-- The sampling frame of a round: completed dossiers uploaded by the one-stop shop.
-- Rows not drawn lose their personal data when the round closes.
CREATE TABLE "frame_rows" (
  "id" BIGSERIAL PRIMARY KEY,
  "round_id" INTEGER NOT NULL REFERENCES "rounds"("id") ON DELETE CASCADE,
  "unit_id" INTEGER NOT NULL REFERENCES "units"("id"),
  "procedure_code" TEXT,
  "dossier_code" TEXT,
  "completed_on" DATE NOT NULL,
  "channel" "Channel" NOT NULL,
  "recipient_phone" TEXT,
  "recipient_chat_id" TEXT,
  "recipient_zalo_id" TEXT,
  "draw_key" TEXT NOT NULL,
  "state" TEXT NOT NULL DEFAULT 'pool',
  "wave" INTEGER,
  "invite_after" TIMESTAMP(3),
  "invitation_id" UUID,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "frame_rows_round_id_unit_id_state_draw_key_idx" ON "frame_rows" ("round_id", "unit_id", "state", "draw_key");
CREATE INDEX "frame_rows_invitation_id_idx" ON "frame_rows" ("invitation_id");
CREATE INDEX "frame_rows_due_idx" ON "frame_rows" ("invite_after") WHERE "state" = 'drawn' AND "invitation_id" IS NULL;
CREATE UNIQUE INDEX "frame_rows_round_id_unit_id_dossier_code_key" ON "frame_rows" ("round_id", "unit_id", "dossier_code");

-- Bulk invitation uploads processed in the background.
CREATE TABLE "invitation_batches" (
  "id" UUID PRIMARY KEY,
  "created_by_key_id" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'queued',
  "total" INTEGER NOT NULL,
  "processed" INTEGER NOT NULL DEFAULT 0,
  "created" INTEGER NOT NULL DEFAULT 0,
  "existing" INTEGER NOT NULL DEFAULT 0,
  "errors" INTEGER NOT NULL DEFAULT 0,
  "pending" JSONB,
  "results" JSONB NOT NULL DEFAULT '[]',
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "finished_at" TIMESTAMP(3)
);
