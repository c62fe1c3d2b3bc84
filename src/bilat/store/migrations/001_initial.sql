-- bilat schema, version 1: documents with their removed boilerplate, sentences,
-- actor mentions, events, quantities, and the ingest log.
CREATE TABLE documents (
    doc_id VARCHAR PRIMARY KEY,
    origin VARCHAR NOT NULL,
    fmt VARCHAR NOT NULL,
    title VARCHAR,
    outlet VARCHAR,
    url VARCHAR,
    published VARCHAR,
    published_precision VARCHAR,
    published_method VARCHAR,
    published_evidence VARCHAR,
    cited_sources VARCHAR[],
    text VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    duplicate_of VARCHAR,
    n_words INTEGER,
    ingested_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE removed (
    doc_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    reason VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE sentences (
    doc_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE mentions (
    doc_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    sentence INTEGER,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    name VARCHAR,
    country VARCHAR,
    sector VARCHAR,
    role VARCHAR,
    kb_id VARCHAR,
    kind VARCHAR,
    learned BOOLEAN,
    via VARCHAR,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE events (
    doc_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    event_id VARCHAR,
    type VARCHAR NOT NULL,
    mode VARCHAR,
    source VARCHAR,
    target VARCHAR,
    source_actor VARCHAR,
    target_actor VARCHAR,
    cameo VARCHAR,
    intensity DOUBLE,
    negated BOOLEAN,
    planned BOOLEAN,
    hypothetical BOOLEAN,
    attribution VARCHAR,
    date VARCHAR,
    date_precision VARCHAR,
    date_method VARCHAR,
    location VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    sentence INTEGER,
    start_char INTEGER,
    end_char INTEGER,
    evidence VARCHAR,
    trigger VARCHAR,
    rule VARCHAR,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE quantities (
    doc_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    sentence INTEGER,
    start_char INTEGER,
    end_char INTEGER,
    text VARCHAR,
    value DOUBLE,
    unit VARCHAR,
    value_usd DOUBLE,
    bound VARCHAR,
    metric VARCHAR,
    countries VARCHAR[],
    period VARCHAR,
    is_claim BOOLEAN,
    evidence VARCHAR,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE ingest_log (
    run_id VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    doc_id VARCHAR,
    status VARCHAR NOT NULL,   -- ingested | duplicate | exists | failed
    reason VARCHAR,
    logged_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    started TIMESTAMP,
    finished TIMESTAMP,
    args VARCHAR,
    counts VARCHAR
);
