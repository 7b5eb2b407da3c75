-- Every state change a teammate made, in order. A client names each change (`change_id`) so that
-- a change sent twice (a retry after a lost answer, an offline queue replayed) is applied once.
CREATE TABLE state_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id TEXT UNIQUE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    change TEXT NOT NULL CHECK (change IN ('done', 'unread', 'open', 'read')),
    at BIGINT NOT NULL
);

CREATE INDEX state_changes_of_conversation ON state_changes (conversation_id, seq);
