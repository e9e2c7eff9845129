-- Existing calls' prompt references in the short form (lib/matches/prompt-parts.ts `storedPromptRefs`):
-- [{ "part": …, "at": …, "passage"?: … }] becomes [[at, part], [at, part, passage]], in the same order. The part
-- ids stay as they are (whole SHA-256 in hex, or `passage:<id>`): only new parts get the short ids.
UPDATE "ModelCall" SET "promptParts" = (
  SELECT json_group_array(json(
    CASE WHEN json_type(r."value", '$.passage') IS NULL
      THEN json_array(json_extract(r."value", '$.at'), json_extract(r."value", '$.part'))
      ELSE json_array(json_extract(r."value", '$.at'), json_extract(r."value", '$.part'), json_extract(r."value", '$.passage'))
    END))
  FROM (SELECT "value" FROM json_each("ModelCall"."promptParts") ORDER BY "key") AS r
)
WHERE json_valid("promptParts") AND json_type("promptParts", '$[0]') = 'object';
