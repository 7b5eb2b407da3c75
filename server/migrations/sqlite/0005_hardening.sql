-- Sessions get an id (to list and end them one by one) and the browser that started them;
-- teammates can be deactivated; sign-in remembers the clients a teammate signed in from, so
-- that an attack on their account from elsewhere cannot lock them out. SQLite cannot add a
-- primary key in place: the sessions table is rebuilt (its rows kept).

CREATE TABLE sessions_with_ids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    member_id INTEGER NOT NULL REFERENCES members (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    user_agent TEXT
);
INSERT INTO sessions_with_ids (token_hash, member_id, created_at, last_seen_at)
    SELECT token_hash, member_id, created_at, last_seen_at FROM sessions ORDER BY created_at;
DROP TABLE sessions;
ALTER TABLE sessions_with_ids RENAME TO sessions;
CREATE INDEX sessions_of_member ON sessions (member_id);

ALTER TABLE members ADD COLUMN deactivated_at BIGINT;

-- A client ("address:…" per IPv4 address or IPv6 /64, "device:…" the hash of a device
-- cookie) that signed in as a teammate; it keeps a failure budget of its own.
CREATE TABLE known_clients (
    member_id INTEGER NOT NULL REFERENCES members (id),
    client TEXT NOT NULL,
    last_success_at BIGINT NOT NULL,
    PRIMARY KEY (member_id, client)
);

-- A change's id is unique per teammate, not across everyone: one teammate cannot make another's
-- change look applied by sending its id first. (Rebuilt for the same reason as sessions.)
CREATE TABLE state_changes_per_member (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id TEXT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    change TEXT NOT NULL CHECK (change IN ('done', 'unread', 'open', 'read')),
    at BIGINT NOT NULL,
    member_id INTEGER REFERENCES members (id)
);
INSERT INTO state_changes_per_member (seq, change_id, conversation_id, change, at, member_id)
    SELECT seq, change_id, conversation_id, change, at, member_id FROM state_changes;
DROP TABLE state_changes;
ALTER TABLE state_changes_per_member RENAME TO state_changes;
CREATE INDEX state_changes_of_conversation ON state_changes (conversation_id, seq);
CREATE UNIQUE INDEX state_changes_by_change_id ON state_changes (member_id, change_id);

-- How far retention has deleted the events log: a stream asked to resume from before it must
-- reload instead.
CREATE TABLE retention_marks (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
CREATE INDEX events_by_time ON events (at);
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (received_at);
CREATE INDEX sessions_by_last_use ON sessions (last_seen_at);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);
