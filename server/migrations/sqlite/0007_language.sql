-- A teammate's interface language, on every device: a code of the catalogue (`en`, `fr`), or
-- NULL to follow each browser's languages. Not CHECKed here: the catalogue, not the schema,
-- says which languages exist (the server accepts and reads only those).

ALTER TABLE members ADD COLUMN language TEXT;
