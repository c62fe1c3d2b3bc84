-- The event coder: which model version judged each event and with what probability.
ALTER TABLE events ADD COLUMN model TEXT COLLATE "C";
ALTER TABLE events ADD COLUMN confidence DOUBLE PRECISION;
