-- What produced each run and which run stored each document: the run's settings as JSON (every field
-- of bilat.config.Settings), bilat's version, the convention and parse mode, the event coders' versions
-- (English, and the multilingual coder of Russian documents), the rule set's versions as JSON (the
-- version of each file in events/rules and a digest of them all); and on each document its run.
ALTER TABLE runs ADD COLUMN settings TEXT COLLATE "C";
ALTER TABLE runs ADD COLUMN bilat_version TEXT COLLATE "C";
ALTER TABLE runs ADD COLUMN convention TEXT COLLATE "C";
ALTER TABLE runs ADD COLUMN parse TEXT COLLATE "C";
ALTER TABLE runs ADD COLUMN coder_model TEXT COLLATE "C";
ALTER TABLE runs ADD COLUMN ml_coder_model TEXT COLLATE "C";
ALTER TABLE runs ADD COLUMN rule_versions TEXT COLLATE "C";
ALTER TABLE documents ADD COLUMN run_id TEXT COLLATE "C";
-- Documents stored before: the last run whose ingest log says it stored them (the log is written in the
-- document's own transaction). Their runs' new columns stay null: what produced them was not recorded.
UPDATE documents SET run_id = l.run_id
FROM (SELECT DISTINCT ON (doc_id) doc_id, run_id FROM ingest_log
      WHERE status IN ('ingested', 'duplicate') AND doc_id IS NOT NULL
      ORDER BY doc_id, logged_at DESC) AS l
WHERE documents.doc_id = l.doc_id;
