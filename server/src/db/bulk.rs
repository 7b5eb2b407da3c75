//! A large workspace made in the database itself, for benchmarks: `conversations` on the demo's
//! three lines, each with `per_conversation` messages (in and out in turn), in a few statements
//! on either engine. A quarter are Done, a quarter Open and unread, half Open and read; a minute
//! between conversations, ten seconds between messages, the newest conversation last.

use super::{postgres, Db, DbError};

/// Fills an empty database; the demo team can join it afterwards (`--demo` adds it to a
/// workspace without teammates).
pub async fn fill(
    db: &Db,
    conversations: i64,
    per_conversation: i64,
    now: i64,
) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                for (index, line) in crate::demo::LINES.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO lines (id, name, number) VALUES ($1, $2, $3)",
                        rusqlite::params![index as i64 + 1, line.name, line.number],
                    )?;
                }
                let numbers =
                    "WITH RECURSIVE n(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM n WHERE g < $1)";
                tx.execute(
                    &format!(
                        "{numbers} INSERT INTO contacts
                             (id, first_name, last_name, name, sort_key, source, created_at,
                              updated_at)
                         SELECT g, 'Customer', g, 'Customer ' || g, 'customer ' || g,
                                'switchboard', $2, $2 FROM n"
                    ),
                    [conversations, now],
                )?;
                tx.execute(
                    &format!(
                        "{numbers} INSERT INTO numbers (id, number, contact_id)
                         SELECT g, '+1312' || printf('%07d', g), g FROM n"
                    ),
                    [conversations],
                )?;
                tx.execute(
                    &format!(
                        "{numbers} INSERT INTO conversations
                             (id, line_id, number_id, status, unread, latest_activity_id,
                              latest_activity_at, latest_inbound_activity_id)
                         SELECT g, 1 + g % 3, g, CASE WHEN g % 4 = 0 THEN 'done' ELSE 'open' END,
                                g % 4 = 1, g * $2, $3 - ($1 - g) * 60000,
                                (g - 1) * $2 + CASE WHEN $2 % 2 = 1 THEN $2 ELSE $2 - 1 END
                           FROM n"
                    ),
                    [conversations, per_conversation, now],
                )?;
                tx.execute(
                    "WITH RECURSIVE c(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM c WHERE c < $1),
                                   k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k WHERE k < $2)
                     INSERT INTO activities (id, conversation_id, direction, kind, body, at)
                     SELECT (c - 1) * $2 + k, c,
                            CASE WHEN k % 2 = 1 THEN 'inbound' ELSE 'outbound' END, 'message',
                            'Message ' || k || ' of conversation ' || c,
                            $3 - ($1 - c) * 60000 - ($2 - k) * 10000
                       FROM c, k ORDER BY c, k",
                    [conversations, per_conversation, now],
                )?;
                tx.execute_batch(
                    "UPDATE lines SET unread_count = (SELECT COUNT(*) FROM conversations c
                                                       WHERE c.line_id = lines.id AND c.unread);
                     ANALYZE;",
                )?;
                Ok(())
            })
            .await
        }
        Db::Postgres(db) => postgres::bulk::fill(db, conversations, per_conversation, now).await,
    }
}
