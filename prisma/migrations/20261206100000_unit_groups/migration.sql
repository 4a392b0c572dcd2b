-- Unit groups as data: label, order and ranking rule of each group (issue 18).
CREATE TABLE "unit_groups" (
  "code" TEXT PRIMARY KEY,
  "label" TEXT NOT NULL,
  "order" INTEGER NOT NULL,
  "rank_separately" BOOLEAN NOT NULL DEFAULT false,
  "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Every free-text group already in use becomes a row: labelled by its code, ordered alphabetically
-- (ignoring case, the same on every server whatever its collation).
INSERT INTO "unit_groups" ("code", "label", "order")
SELECT "group", "group", (row_number() OVER (ORDER BY lower("group") COLLATE "C", "group" COLLATE "C"))::INTEGER
FROM (SELECT DISTINCT "group" FROM "units") AS g;

-- A unit written with a group that has no row yet (older clients, scripts) creates the row
-- (label = code, ordered after the last), so that the foreign key below never rejects it.
CREATE FUNCTION "unit_groups_create_missing"() RETURNS TRIGGER AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "unit_groups" WHERE "code" = NEW."group") THEN
    INSERT INTO "unit_groups" ("code", "label", "order")
    SELECT NEW."group", NEW."group", COALESCE(MAX("order"), 0) + 1 FROM "unit_groups"
    ON CONFLICT ("code") DO NOTHING;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "units_group_row" BEFORE INSERT OR UPDATE OF "group" ON "units"
FOR EACH ROW EXECUTE FUNCTION "unit_groups_create_missing"();

ALTER TABLE "units" ADD CONSTRAINT "units_group_fkey" FOREIGN KEY ("group") REFERENCES "unit_groups"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
