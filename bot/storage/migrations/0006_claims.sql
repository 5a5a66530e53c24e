-- Event ids claimed once across the processes (a Slack retry, a Discord event redelivered to
-- another process): kept a day, then forgotten, so the table does not grow with every event.
-- They were counters before; those move over.
CREATE TABLE claims (
    name text PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claims_by_age ON claims (at);
INSERT INTO claims (name) SELECT name FROM counters WHERE name LIKE 'seen:%';
DELETE FROM counters WHERE name LIKE 'seen:%';
