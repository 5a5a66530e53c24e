-- Range lookups on the times the bot asks about (`Span`): jobs by when they are due,
-- conversations by when they last changed (retention), knowledge-base lookups and tickets by
-- when they were made (reports). Compared byte by byte, like the stored UTC stamps sort.
CREATE INDEX documents_by_due ON documents (collection, (fields ->> 'due') COLLATE "C")
    WHERE fields ? 'due';
CREATE INDEX documents_by_updated_at
    ON documents (collection, (fields ->> 'updated_at') COLLATE "C") WHERE fields ? 'updated_at';
CREATE INDEX documents_by_at ON documents (collection, (fields ->> 'at') COLLATE "C")
    WHERE fields ? 'at';
CREATE INDEX documents_by_opened_at
    ON documents (collection, (fields ->> 'opened_at') COLLATE "C") WHERE fields ? 'opened_at';
