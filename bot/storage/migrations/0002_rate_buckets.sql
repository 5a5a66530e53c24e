-- Flood limits shared by every process: one token bucket per key, taken atomically.
CREATE TABLE rate_buckets (
    name text PRIMARY KEY,
    tokens double precision NOT NULL,
    at timestamptz NOT NULL
);

-- Take a token from `bucket` (or, with taking = false, only look): 0 when one was there,
-- else the whole seconds until one is. Buckets untouched for a day are forgotten (full).
CREATE FUNCTION take_token(
    bucket text, burst double precision, per_minute double precision, taking boolean
) RETURNS double precision AS $$
DECLARE
    have double precision;
    now_at timestamptz := clock_timestamp();
BEGIN
    IF random() < 0.001 THEN
        DELETE FROM rate_buckets WHERE at < now_at - interval '1 day';
    END IF;
    INSERT INTO rate_buckets (name, tokens, at) VALUES (bucket, burst, now_at)
        ON CONFLICT (name) DO NOTHING;
    SELECT LEAST(burst, tokens + EXTRACT(EPOCH FROM now_at - at) * per_minute / 60.0)
        INTO have FROM rate_buckets WHERE name = bucket FOR UPDATE;
    IF taking THEN
        UPDATE rate_buckets
            SET tokens = CASE WHEN have >= 1 THEN have - 1 ELSE have END, at = now_at
            WHERE name = bucket;
    END IF;
    IF have >= 1 THEN
        RETURN 0;
    END IF;
    RETURN ceil((1 - have) * 60.0 / per_minute);
END
$$ LANGUAGE plpgsql;
