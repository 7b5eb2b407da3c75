-- Which server's try is in flight: the backend pid of that server's live-events connection,
-- which lives as long as the server does. A server that starts takes back only the tries of
-- servers that are gone (their connection is no longer in pg_stat_activity), never those that
-- another running server is waiting on.
ALTER TABLE outbox ADD COLUMN claimed_by BIGINT;
