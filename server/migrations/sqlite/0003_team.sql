-- The team: teammates, their access to lines, their sessions; assignment, pins, internal notes,
-- mentions, and the log of live events (for teammates who reconnect).

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    -- argon2id, in PHC string form.
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Which lines a member sees; owners and admins see every line.
CREATE TABLE line_access (
    member_id INTEGER NOT NULL REFERENCES members (id),
    line_id INTEGER NOT NULL REFERENCES lines (id),
    PRIMARY KEY (member_id, line_id)
);

-- The SHA-256 of each session's token: a copy of the database gives no way in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_of_member ON sessions (member_id);

-- Failed sign-ins, by account ("email:…") and by address ("address:…"), to slow and then
-- refuse guessing.
CREATE TABLE sign_in_failures (
    subject TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_subject ON sign_in_failures (subject, at);

ALTER TABLE conversations ADD COLUMN assignee_id INTEGER REFERENCES members (id);
ALTER TABLE conversations ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT FALSE;

-- Views list pinned conversations first: the indexes follow that order.
DROP INDEX conversations_by_status;
DROP INDEX conversations_by_line_status;
DROP INDEX conversations_by_unread;
DROP INDEX conversations_by_line_unread;
CREATE INDEX conversations_by_status
    ON conversations (status, pinned DESC, latest_activity_at DESC, id DESC);
CREATE INDEX conversations_by_line_status
    ON conversations (line_id, status, pinned DESC, latest_activity_at DESC, id DESC);
CREATE INDEX conversations_by_unread
    ON conversations (unread, pinned DESC, latest_activity_at DESC, id DESC);
CREATE INDEX conversations_by_line_unread
    ON conversations (line_id, unread, pinned DESC, latest_activity_at DESC, id DESC);
CREATE INDEX conversations_by_assignee
    ON conversations (assignee_id, status, pinned DESC, latest_activity_at DESC, id DESC);

ALTER TABLE state_changes ADD COLUMN member_id INTEGER REFERENCES members (id);

-- Notes join the thread as activities of their own kind, written by a teammate. SQLite cannot
-- change a CHECK constraint in place: the table is rebuilt, ids kept.
CREATE TABLE activities_with_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
    kind TEXT NOT NULL CHECK (kind IN ('message', 'call', 'voicemail', 'note')),
    body TEXT,
    call_outcome TEXT CHECK (call_outcome IN ('answered', 'missed')),
    duration_seconds INTEGER,
    at BIGINT NOT NULL,
    author_id INTEGER REFERENCES members (id)
);
INSERT INTO activities_with_notes
    (id, conversation_id, direction, kind, body, call_outcome, duration_seconds, at)
    SELECT id, conversation_id, direction, kind, body, call_outcome, duration_seconds, at
      FROM activities;
DROP TABLE activities;
ALTER TABLE activities_with_notes RENAME TO activities;
CREATE INDEX activities_of_conversation ON activities (conversation_id, id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members (id),
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    activity_id INTEGER NOT NULL REFERENCES activities (id),
    author_id INTEGER NOT NULL REFERENCES members (id),
    excerpt TEXT NOT NULL,
    read BOOLEAN NOT NULL DEFAULT FALSE,
    at BIGINT NOT NULL
);
CREATE INDEX notifications_of_member ON notifications (member_id, id);

-- Every live event, in order: the id a reconnecting client resumes from. Line events go to
-- the teammates who see the line; member events to that teammate only.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    line_id INTEGER REFERENCES lines (id),
    member_id INTEGER REFERENCES members (id),
    payload TEXT NOT NULL,
    at BIGINT NOT NULL
);

-- Webhook deliveries already taken in (Quo retries for a day): each is stored once.
CREATE TABLE webhook_deliveries (
    delivery_id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);
