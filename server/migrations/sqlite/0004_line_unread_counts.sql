-- Each line keeps its number of unread conversations, adjusted in the transaction that changes a
-- conversation's unread flag: counting them at every change cost a scan of the line's unread
-- conversations, inside the one writer's lock.
ALTER TABLE lines ADD COLUMN unread_count INTEGER NOT NULL DEFAULT 0;
UPDATE lines SET unread_count =
    (SELECT COUNT(*) FROM conversations c WHERE c.line_id = lines.id AND c.unread = TRUE);
