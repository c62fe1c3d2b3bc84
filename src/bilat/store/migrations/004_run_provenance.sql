-- What produced each run and which run stored each document: the run's settings as JSON (every field
-- of bilat.config.Settings), bilat's version, the convention and parse mode, the event coders' versions
-- (English, and the multilingual coder of Russian documents), the rule set's versions as JSON (the
-- version of each file in events/rules and a digest of them all); and on each document its run.
ALTER TABLE runs ADD COLUMN settings VARCHAR;
ALTER TABLE runs ADD COLUMN bilat_version VARCHAR;
ALTER TABLE runs ADD COLUMN convention VARCHAR;
ALTER TABLE runs ADD COLUMN parse VARCHAR;
ALTER TABLE runs ADD COLUMN coder_model VARCHAR;
ALTER TABLE runs ADD COLUMN ml_coder_model VARCHAR;
ALTER TABLE runs ADD COLUMN rule_versions VARCHAR;
ALTER TABLE documents ADD COLUMN run_id VARCHAR;
-- Documents stored before: the last run whose ingest log says it stored them (the log is written in the
-- document's own transaction). Their runs' new columns stay null: what produced them was not recorded.
UPDATE documents SET run_id = l.run_id
-- dialect duckdb
FROM (SELECT doc_id, arg_max(run_id, logged_at) AS run_id FROM ingest_log
      WHERE status IN ('ingested', 'duplicate') AND doc_id IS NOT NULL GROUP BY doc_id) AS l
-- dialect postgresql
-- FROM (SELECT DISTINCT ON (doc_id) doc_id, run_id FROM ingest_log
--       WHERE status IN ('ingested', 'duplicate') AND doc_id IS NOT NULL
--       ORDER BY doc_id, logged_at DESC) AS l
-- dialect end
WHERE documents.doc_id = l.doc_id;
