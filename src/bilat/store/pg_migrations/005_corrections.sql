-- The analyst's corrections, kept apart from what extraction wrote (ingest never touches this table).
-- A correction names the report it corrects by facts that survive re-extraction (the document, the
-- sentence's index, the extracted type and the two sides' codes), and the report's ids as seen when it
-- was made (event_id, idx) for the record. Each row sets some values (null: unchanged); for each field
-- the latest correction that sets it wins. action: reject | restore | retype | actors | date | modality | add
-- ("add": an event extraction missed, in the given sentence, with its values below).
CREATE TABLE corrections (
    correction_id INTEGER PRIMARY KEY,
    created TIMESTAMP NOT NULL,
    author TEXT COLLATE "C" NOT NULL,
    reason TEXT COLLATE "C",
    action TEXT COLLATE "C" NOT NULL,
    doc_id TEXT COLLATE "C" NOT NULL,
    sentence INTEGER,
    orig_type TEXT COLLATE "C",
    orig_source TEXT COLLATE "C",
    orig_target TEXT COLLATE "C",
    seen_event_id TEXT COLLATE "C",
    seen_idx INTEGER,
    rejected BOOLEAN,
    type TEXT COLLATE "C",
    mode TEXT COLLATE "C",
    cameo TEXT COLLATE "C",
    intensity DOUBLE PRECISION,
    source TEXT COLLATE "C",
    target TEXT COLLATE "C",
    source_actor TEXT COLLATE "C",
    target_actor TEXT COLLATE "C",
    date TEXT COLLATE "C",
    date_precision TEXT COLLATE "C",
    negated BOOLEAN,
    planned BOOLEAN,
    hypothetical BOOLEAN
);
