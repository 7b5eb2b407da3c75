-- Replies reach the customer: each outbound message through Quo has a delivery status, and waits
-- in the outbox until Quo has taken it. A line sends from its Quo number (its `PN…` id or its
-- E.164 number; the line's own number when not set).

ALTER TABLE lines ADD COLUMN quo_number TEXT;

ALTER TABLE activities ADD COLUMN delivery TEXT
    CHECK (delivery IN ('sending', 'sent', 'delivered', 'failed', 'not_sent'));
ALTER TABLE activities ADD COLUMN delivery_error TEXT;
-- Quo's id for the message: its `message.delivered` event finds the reply by it.
ALTER TABLE activities ADD COLUMN quo_message_id TEXT;
CREATE UNIQUE INDEX activities_by_quo_message ON activities (quo_message_id);

CREATE TABLE outbox (
    activity_id INTEGER PRIMARY KEY REFERENCES activities (id),
    -- Sent with every try of this reply: Quo takes one message per key.
    idempotency_key TEXT NOT NULL UNIQUE,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- Set while a try is on its way; found set at start, the try may have reached Quo.
    in_flight_since BIGINT
);
CREATE INDEX outbox_by_next_attempt ON outbox (next_attempt_at);
