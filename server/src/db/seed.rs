//! Writing the demo dataset.

use super::changes::{insert_activity, store_state, NewActivity, Stored};
use super::{postgres, Db, DbError};
use crate::demo::Dataset;
use rusqlite::params;
use switchboard_domain::api::Direction;
use switchboard_domain::{ConversationId, ConversationState, LineId};

/// Whether the database holds no line yet (a fresh database).
pub async fn is_empty(db: &Db) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                let lines: i64 =
                    tx.query_row("SELECT COUNT(*) FROM lines", [], |row| row.get(0))?;
                Ok(lines == 0)
            })
            .await
        }
        Db::Postgres(db) => postgres::seed::is_empty(db).await,
    }
}

/// Inserts the dataset in one transaction, if the database is still empty then (whether it
/// was). Activities are numbered in time order across all conversations, as if they had arrived
/// one by one.
#[tracing::instrument(skip_all, fields(conversations = data.conversations.len()))]
pub async fn insert(db: &Db, data: Dataset) -> Result<bool, DbError> {
    match db {
        Db::Sqlite(db) => {
            db.write(move |tx, _| {
                // Checked again in the transaction: another server on the database may have
                // filled it since the caller looked.
                let lines: i64 =
                    tx.query_row("SELECT COUNT(*) FROM lines", [], |row| row.get(0))?;
                if lines > 0 {
                    return Ok(false);
                }
                let mut insert_line =
                    tx.prepare("INSERT INTO lines (id, name, number) VALUES ($1, $2, $3)")?;
                for (index, line) in data.lines.iter().enumerate() {
                    insert_line.execute(params![index as i64 + 1, line.name, line.number])?;
                }
                let mut insert_contact = tx.prepare(
                    "INSERT INTO contacts (id, first_name, last_name, name, source, created_at,
                                           updated_at)
                     VALUES ($1, $2, $3, $4, 'switchboard', $5, $5)",
                )?;
                let mut insert_number =
                    tx.prepare("INSERT INTO numbers (id, number, contact_id) VALUES ($1, $2, $3)")?;
                let now = super::now_ms();
                for (index, contact) in data.contacts.iter().enumerate() {
                    let id = index as i64 + 1;
                    let named = demo_contact(contact);
                    if let Some((first, last)) = &named {
                        insert_contact.execute(params![id, first, last, contact.name, now])?;
                    }
                    insert_number.execute(params![
                        id,
                        contact.number,
                        named.as_ref().map(|_| id)
                    ])?;
                }
                let mut insert_conversation = tx.prepare(
            "INSERT INTO conversations (id, line_id, number_id, status, unread, latest_activity_at)
             VALUES ($1, $2, $3, 'open', FALSE, $4)",
        )?;
                for (index, conversation) in data.conversations.iter().enumerate() {
                    let first_at = conversation.activities.first().map_or(0, |a| a.at);
                    insert_conversation.execute(params![
                        index as i64 + 1,
                        conversation.line as i64 + 1,
                        conversation.contact as i64 + 1,
                        first_at
                    ])?;
                }

                let mut timeline: Vec<(usize, &NewActivity)> = data
                    .conversations
                    .iter()
                    .enumerate()
                    .flat_map(|(c, conversation)| {
                        conversation.activities.iter().map(move |a| (c, a))
                    })
                    .collect();
                timeline.sort_by_key(|(c, activity)| (activity.at, *c));
                let mut latest_inbound = vec![None; data.conversations.len()];
                for (c, activity) in timeline {
                    let id = insert_activity(tx, ConversationId(c as i64 + 1), activity)?;
                    if activity.direction == Direction::Inbound {
                        latest_inbound[c] = Some(id);
                    }
                }
                for (index, conversation) in data.conversations.iter().enumerate() {
                    // As inserted above: open, read.
                    let inserted = Stored {
                        state: ConversationState::started_by_outbound(),
                        line: LineId(conversation.line as i64 + 1),
                    };
                    let state = ConversationState {
                        status: conversation.status,
                        unread: conversation.unread,
                        latest_inbound: latest_inbound[index],
                    };
                    store_state(tx, ConversationId(index as i64 + 1), inserted, state)?;
                }
                Ok(true)
            })
            .await
        }
        Db::Postgres(db) => postgres::seed::insert(db, data).await,
    }
}

/// A named demo contact's first and last names (the first word, the rest); `None` for an
/// unknown number. Its search terms are written when the server starts
/// ([`super::contacts::index_missing`]).
pub(crate) fn demo_contact(contact: &crate::demo::DemoContact) -> Option<(String, Option<String>)> {
    let name = contact.name.as_deref()?;
    Some(match name.split_once(' ') {
        Some((first, last)) => (first.to_owned(), Some(last.to_owned())),
        None => (name.to_owned(), None),
    })
}

/// Shares the open demo conversations out: a third get an owner among the teammates who see
/// their line, and two recent ones are pinned.
pub async fn share_out(db: &Db, team: &[crate::demo::TeamMember]) -> Result<(), DbError> {
    match db {
        Db::Sqlite(db) => {
            let team = team.to_vec();
            db.write(move |tx, _| {
                let open: Vec<(i64, i64)> = tx
                    .prepare(
                        "SELECT id, line_id FROM conversations WHERE status = 'open' ORDER BY id",
                    )?
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                let mut assign =
                    tx.prepare("UPDATE conversations SET assignee_id = $1 WHERE id = $2")?;
                for (id, line) in &open {
                    if id % 3 != 0 {
                        continue;
                    }
                    let able: Vec<&crate::demo::TeamMember> = team
                        .iter()
                        .filter(|(_, lines)| {
                            lines
                                .as_ref()
                                .is_none_or(|l| l.contains(&switchboard_domain::LineId(*line)))
                        })
                        .collect();
                    if let Some((member, _)) = able.get((*id as usize / 3) % able.len().max(1)) {
                        assign.execute(params![member.0, id])?;
                    }
                }
                tx.execute(
                    "UPDATE conversations SET pinned = TRUE WHERE id IN
                (SELECT id FROM conversations WHERE status = 'open' AND id % 11 = 0
                  ORDER BY latest_activity_at DESC LIMIT 2)",
                    [],
                )?;
                Ok(())
            })
            .await
        }
        Db::Postgres(db) => postgres::seed::share_out(db, team).await,
    }
}
