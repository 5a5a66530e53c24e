-- The live reports (`/stats`, the dashboard) find the tickets closed in a period through
-- their stored facts, by the latest time that makes a period count them.
CREATE INDEX documents_by_latest_at
    ON documents (collection, (fields ->> 'latest_at') COLLATE "C") WHERE fields ? 'latest_at';
