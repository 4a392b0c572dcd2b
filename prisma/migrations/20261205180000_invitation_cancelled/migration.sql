-- An officer can cancel an invitation that has not been started.
ALTER TYPE "InvitationStatus" ADD VALUE IF NOT EXISTS 'cancelled';

-- The invitation list pages by creation time, newest first, within the officer's units.
CREATE INDEX IF NOT EXISTS "invitations_unit_id_created_at_id_idx" ON "invitations" ("unit_id", "created_at" DESC, "id" DESC);
CREATE INDEX IF NOT EXISTS "invitations_created_at_id_idx" ON "invitations" ("created_at" DESC, "id" DESC);
