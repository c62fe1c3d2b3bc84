-- bilat schema, version 1, for PostgreSQL: the same tables and columns as
-- migrations/001_initial.sql (DuckDB). Text sorts by code point (COLLATE "C"), as in DuckDB,
-- so that ORDER BY gives the same order on both stores.
CREATE TABLE documents (
    doc_id TEXT COLLATE "C" PRIMARY KEY,
    origin TEXT COLLATE "C" NOT NULL,
    fmt TEXT COLLATE "C" NOT NULL,
    title TEXT COLLATE "C",
    outlet TEXT COLLATE "C",
    url TEXT COLLATE "C",
    published TEXT COLLATE "C",
    published_precision TEXT COLLATE "C",
    published_method TEXT COLLATE "C",
    published_evidence TEXT COLLATE "C",
    cited_sources TEXT[],
    text TEXT COLLATE "C" NOT NULL,
    content_hash TEXT COLLATE "C" NOT NULL,
    duplicate_of TEXT COLLATE "C",
    n_words INTEGER,
    ingested_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE removed (
    doc_id TEXT COLLATE "C" NOT NULL,
    idx INTEGER NOT NULL,
    reason TEXT COLLATE "C" NOT NULL,
    text TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE sentences (
    doc_id TEXT COLLATE "C" NOT NULL,
    idx INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE mentions (
    doc_id TEXT COLLATE "C" NOT NULL,
    idx INTEGER NOT NULL,
    sentence INTEGER,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C",
    country TEXT COLLATE "C",
    sector TEXT COLLATE "C",
    role TEXT COLLATE "C",
    kb_id TEXT COLLATE "C",
    kind TEXT COLLATE "C",
    learned BOOLEAN,
    via TEXT COLLATE "C",
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE events (
    doc_id TEXT COLLATE "C" NOT NULL,
    idx INTEGER NOT NULL,
    event_id TEXT COLLATE "C",
    type TEXT COLLATE "C" NOT NULL,
    mode TEXT COLLATE "C",
    source TEXT COLLATE "C",
    target TEXT COLLATE "C",
    source_actor TEXT COLLATE "C",
    target_actor TEXT COLLATE "C",
    cameo TEXT COLLATE "C",
    intensity DOUBLE PRECISION,
    negated BOOLEAN,
    planned BOOLEAN,
    hypothetical BOOLEAN,
    attribution TEXT COLLATE "C",
    date TEXT COLLATE "C",
    date_precision TEXT COLLATE "C",
    date_method TEXT COLLATE "C",
    location TEXT COLLATE "C",
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    sentence INTEGER,
    start_char INTEGER,
    end_char INTEGER,
    evidence TEXT COLLATE "C",
    trigger TEXT COLLATE "C",
    rule TEXT COLLATE "C",
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE quantities (
    doc_id TEXT COLLATE "C" NOT NULL,
    idx INTEGER NOT NULL,
    sentence INTEGER,
    start_char INTEGER,
    end_char INTEGER,
    text TEXT COLLATE "C",
    value DOUBLE PRECISION,
    unit TEXT COLLATE "C",
    value_usd DOUBLE PRECISION,
    bound TEXT COLLATE "C",
    metric TEXT COLLATE "C",
    countries TEXT[],
    period TEXT COLLATE "C",
    is_claim BOOLEAN,
    evidence TEXT COLLATE "C",
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE ingest_log (
    run_id TEXT COLLATE "C" NOT NULL,
    origin TEXT COLLATE "C" NOT NULL,
    doc_id TEXT COLLATE "C",
    status TEXT COLLATE "C" NOT NULL,   -- ingested | duplicate | exists | failed
    reason TEXT COLLATE "C",
    logged_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE runs (
    run_id TEXT COLLATE "C" PRIMARY KEY,
    started TIMESTAMP,
    finished TIMESTAMP,
    args TEXT COLLATE "C",
    counts TEXT COLLATE "C"
);
