-- The language of each document (ISO 639-1: en, ru).
ALTER TABLE documents ADD COLUMN lang VARCHAR;
