-- Existing calls' prompt references in the short form (lib/matches/prompt-parts.ts `storedPromptRefs`):
-- [{ "part": …, "at": …, "passage"?: … }] becomes [[at, part], [at, part, passage]], in the same order. The part
-- ids stay as they are (whole SHA-256 in hex, or `passage:<id>`): only new parts get the short ids.
UPDATE "ModelCall" SET "promptParts" = (
  SELECT jsonb_agg(
    CASE WHEN r."value" -> 'passage' IS NULL
      THEN jsonb_build_array(r."value" -> 'at', r."value" -> 'part')
      ELSE jsonb_build_array(r."value" -> 'at', r."value" -> 'part', r."value" -> 'passage')
    END
    ORDER BY r."ordinality")
  FROM jsonb_array_elements("ModelCall"."promptParts") WITH ORDINALITY AS r("value", "ordinality")
)
WHERE jsonb_typeof("promptParts" -> 0) = 'object';
