-- The analyst's corrections, kept apart from what extraction wrote (ingest never touches this table).
-- A correction names the report it corrects by facts that survive re-extraction (the document, the
-- sentence's index, the extracted type and the two sides' codes), and the report's ids as seen when it
-- was made (event_id, idx) for the record. Each row sets some values (null: unchanged); for each field
-- the latest correction that sets it wins. action: reject | restore | retype | actors | date | modality | add
-- ("add": an event extraction missed, in the given sentence, with its values below).
CREATE TABLE corrections (
    correction_id INTEGER PRIMARY KEY,
    created TIMESTAMP NOT NULL,
    author VARCHAR NOT NULL,
    reason VARCHAR,
    action VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    sentence INTEGER,
    orig_type VARCHAR,
    orig_source VARCHAR,
    orig_target VARCHAR,
    seen_event_id VARCHAR,
    seen_idx INTEGER,
    rejected BOOLEAN,
    type VARCHAR,
    mode VARCHAR,
    cameo VARCHAR,
    intensity DOUBLE,
    source VARCHAR,
    target VARCHAR,
    source_actor VARCHAR,
    target_actor VARCHAR,
    date VARCHAR,
    date_precision VARCHAR,
    negated BOOLEAN,
    planned BOOLEAN,
    hypothetical BOOLEAN
);
