//! [`crate::db::bulk`] on PostgreSQL.

use super::Postgres;
use crate::db::DbError;

pub(crate) async fn fill(
    db: &Postgres,
    conversations: i64,
    per_conversation: i64,
    now: i64,
) -> Result<(), DbError> {
    let client = db.client().await?;
    let lines = crate::demo::LINES;
    for (index, line) in lines.iter().enumerate() {
        client
            .execute(
                "INSERT INTO lines (id, name, number) VALUES ($1, $2, $3)",
                &[&(index as i64 + 1), &line.name, &line.number],
            )
            .await?;
    }
    client
        .execute(
            "INSERT INTO contacts (id, first_name, last_name, name, sort_key, source, created_at,
                                   updated_at)
             SELECT g, 'Customer', g::TEXT, 'Customer ' || g, 'customer ' || g, 'switchboard',
                    $2, $2
               FROM generate_series(1, $1::BIGINT) g",
            &[&conversations, &now],
        )
        .await?;
    client
        .execute(
            "INSERT INTO numbers (id, number, contact_id)
             SELECT g, '+1312' || lpad(g::TEXT, 7, '0'), g FROM generate_series(1, $1::BIGINT) g",
            &[&conversations],
        )
        .await?;
    client
        .execute(
            "INSERT INTO conversations (id, line_id, number_id, status, unread, latest_activity_id,
                                        latest_activity_at, latest_inbound_activity_id)
             SELECT c, 1 + c % 3, c,
                    CASE WHEN c % 4 = 0 THEN 'done' ELSE 'open' END, c % 4 = 1,
                    c * $2, $3 - ($1 - c) * 60000,
                    (c - 1) * $2 + CASE WHEN $2 % 2 = 1 THEN $2 ELSE $2 - 1 END
               FROM generate_series(1, $1::BIGINT) c",
            &[&conversations, &per_conversation, &now],
        )
        .await?;
    client
        .execute(
            "INSERT INTO activities (id, conversation_id, direction, kind, body, at)
             SELECT (c - 1) * $2 + k, c,
                    CASE WHEN k % 2 = 1 THEN 'inbound' ELSE 'outbound' END, 'message',
                    'Message ' || k || ' of conversation ' || c,
                    $3 - ($1 - c) * 60000 - ($2 - k) * 10000
               FROM generate_series(1, $1::BIGINT) c, generate_series(1, $2::BIGINT) k",
            &[&conversations, &per_conversation, &now],
        )
        .await?;
    client
        .batch_execute(
            "UPDATE lines SET unread_count =
                 (SELECT COUNT(*) FROM conversations c WHERE c.line_id = lines.id AND c.unread);
             SELECT setval(pg_get_serial_sequence('lines', 'id'), 4, false);
             SELECT setval(pg_get_serial_sequence('contacts', 'id'),
                           (SELECT MAX(id) + 1 FROM contacts), false);
             SELECT setval(pg_get_serial_sequence('numbers', 'id'),
                           (SELECT MAX(id) + 1 FROM numbers), false);
             SELECT setval(pg_get_serial_sequence('conversations', 'id'),
                           (SELECT MAX(id) + 1 FROM conversations), false);
             SELECT setval(pg_get_serial_sequence('activities', 'id'),
                           (SELECT MAX(id) + 1 FROM activities), false);
             ANALYZE;",
        )
        .await?;
    Ok(())
}
