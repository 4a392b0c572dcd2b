-- People who use the web console (API keys stay for system integrations). The password is
-- stored as an scrypt hash with its parameters and salt, never in clear.
CREATE TABLE "users" (
  "id" UUID PRIMARY KEY,
  "username" TEXT NOT NULL,
  "display_name" TEXT NOT NULL,
  "role" "ApiKeyRole" NOT NULL,
  "unit_codes" TEXT[] NOT NULL DEFAULT '{}',
  "password_hash" TEXT NOT NULL,
  "disabled_at" TIMESTAMP(3),
  "last_login_at" TIMESTAMP(3),
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "users_username_key" ON "users" ("username");
