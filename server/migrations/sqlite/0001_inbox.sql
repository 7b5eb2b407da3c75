-- The inbox: phone lines, contacts, conversations and their activities.
-- Written in SQL that PostgreSQL also accepts, but for the key columns, which a PostgreSQL
-- migration will declare as identities.

CREATE TABLE lines (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    name TEXT,
    number TEXT NOT NULL UNIQUE
);

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    line_id INTEGER NOT NULL REFERENCES lines (id),
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'done')),
    unread BOOLEAN NOT NULL,
    -- Kept with each new activity so that listing a view reads one row per conversation. Null
    -- only inside the transaction that creates the conversation with its first activity.
    latest_activity_id INTEGER,
    latest_activity_at BIGINT NOT NULL,
    latest_inbound_activity_id INTEGER,
    UNIQUE (line_id, contact_id),
    CHECK (status = 'open' OR NOT unread)
);

-- AUTOINCREMENT: activity ids must only grow, since the safety rule compares them.
CREATE TABLE activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    kind TEXT NOT NULL CHECK (kind IN ('message', 'call', 'voicemail')),
    -- The message's text, or the voicemail's transcript.
    body TEXT,
    call_outcome TEXT CHECK (call_outcome IN ('answered', 'missed')),
    duration_seconds INTEGER,
    at BIGINT NOT NULL
);

CREATE INDEX activities_of_conversation ON activities (conversation_id, id);
CREATE INDEX conversations_by_status ON conversations (status, latest_activity_at DESC, id DESC);
CREATE INDEX conversations_by_line_status
    ON conversations (line_id, status, latest_activity_at DESC, id DESC);
CREATE INDEX conversations_by_unread ON conversations (unread, latest_activity_at DESC, id DESC);
CREATE INDEX conversations_by_line_unread
    ON conversations (line_id, unread, latest_activity_at DESC, id DESC);
