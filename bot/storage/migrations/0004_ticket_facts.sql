-- Each ticket's measured facts, as typed columns, for reports counted in SQL. The bot writes
-- them as documents of the `ticket_facts` collection (with the ticket, in one transaction);
-- triggers keep this table equal to those documents, so it is never written directly.
CREATE TABLE ticket_facts (
    key text PRIMARY KEY,
    position bigint NOT NULL,  -- the document's: the order the tickets were first stored in
    department text NOT NULL,
    language text NOT NULL,
    request boolean NOT NULL,
    opened_at timestamptz NOT NULL,
    closed_at timestamptz,
    latest_at timestamptz NOT NULL,  -- closed_at, or opened_at while never closed
    first_response double precision,  -- business seconds
    resolution double precision,
    hold_seconds double precision NOT NULL,
    holds integer NOT NULL,
    holds_over integer NOT NULL,
    transfers integer NOT NULL,
    escalations integer NOT NULL,
    rating jsonb,
    comment text NOT NULL,
    topic text NOT NULL,
    sla_first_response boolean,
    sla_resolution boolean
);
CREATE INDEX ticket_facts_by_opened_at ON ticket_facts (opened_at);
CREATE INDEX ticket_facts_by_closed_at ON ticket_facts (closed_at);
CREATE INDEX ticket_facts_by_latest_at ON ticket_facts (latest_at);

-- One facts document as a row; a document that does not read as facts is left out (its
-- ticket is then not counted) rather than failing the bot's write.
CREATE FUNCTION store_ticket_facts(doc_key text, doc_position bigint, f jsonb) RETURNS void AS $$
BEGIN
    DELETE FROM ticket_facts WHERE key = doc_key;
    BEGIN
        INSERT INTO ticket_facts VALUES (
            doc_key, doc_position,
            coalesce(f ->> 'department', ''), coalesce(f ->> 'language', ''),
            coalesce(f ->> 'kind', 'ticket') = 'request',
            (f ->> 'opened_at')::timestamptz, (f ->> 'closed_at')::timestamptz,
            coalesce((f ->> 'closed_at')::timestamptz, (f ->> 'opened_at')::timestamptz),
            (f ->> 'first_response')::double precision, (f ->> 'resolution')::double precision,
            coalesce((f ->> 'hold_seconds')::double precision, 0),
            coalesce((f ->> 'holds')::integer, 0), coalesce((f ->> 'holds_over')::integer, 0),
            coalesce((f ->> 'transfers')::integer, 0), coalesce((f ->> 'escalations')::integer, 0),
            f -> 'rating', coalesce(f ->> 'comment', ''), coalesce(f ->> 'topic', ''),
            (f ->> 'sla_first_response')::boolean, (f ->> 'sla_resolution')::boolean
        );
    EXCEPTION WHEN data_exception OR not_null_violation THEN
        RAISE WARNING 'ticket facts % not counted: %', doc_key, SQLERRM;
    END;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION ticket_facts_written() RETURNS trigger AS $$
BEGIN
    PERFORM store_ticket_facts(NEW.key, NEW.position, NEW.fields);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION ticket_facts_deleted() RETURNS trigger AS $$
BEGIN
    DELETE FROM ticket_facts WHERE key = OLD.key;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER ticket_facts_written AFTER INSERT OR UPDATE ON documents
    FOR EACH ROW WHEN (NEW.collection = 'ticket_facts') EXECUTE FUNCTION ticket_facts_written();
CREATE TRIGGER ticket_facts_deleted AFTER DELETE ON documents
    FOR EACH ROW WHEN (OLD.collection = 'ticket_facts') EXECUTE FUNCTION ticket_facts_deleted();

SELECT store_ticket_facts(key, position, fields) FROM documents
    WHERE collection = 'ticket_facts';
