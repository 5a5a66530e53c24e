-- Documents by collection and key, in insertion order, with their top-level scalar fields as
-- jsonb for equality lookups (GIN), and named counters for ticket and conversation numbers.
CREATE TABLE documents (
    collection text NOT NULL,
    key text NOT NULL,
    position bigint GENERATED ALWAYS AS IDENTITY,
    body text NOT NULL,
    fields jsonb NOT NULL,
    PRIMARY KEY (collection, key)
);
CREATE INDEX documents_in_order ON documents (collection, position);
CREATE INDEX documents_by_field ON documents USING gin (fields jsonb_path_ops);

CREATE TABLE counters (
    name text PRIMARY KEY,
    value bigint NOT NULL
);
