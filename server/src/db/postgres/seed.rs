//! Writing the demo dataset on PostgreSQL.

use super::changes::{insert_activity, store_state};
use super::{Postgres, Sql};
use crate::db::changes::{NewActivity, Stored};
use crate::db::DbError;
use crate::demo::Dataset;
use switchboard_domain::api::Direction;
use switchboard_domain::{ConversationId, ConversationState, LineId};

pub(crate) async fn is_empty(db: &Postgres) -> Result<bool, DbError> {
    db.write(async move |tx, _| {
        let lines: i64 = tx
            .one("SELECT COUNT(*) FROM lines", &[])
            .await?
            .try_get(0)?;
        Ok(lines == 0)
    })
    .await
}

pub(crate) async fn insert(db: &Postgres, data: Dataset) -> Result<bool, DbError> {
    db.write(async move |tx, _| {
        // Checked again under the write lock: two servers that start at once on an empty
        // database both find it empty first, and only one may fill it.
        let lines: i64 = tx
            .one("SELECT COUNT(*) FROM lines", &[])
            .await?
            .try_get(0)?;
        if lines > 0 {
            return Ok(false);
        }
        for (index, line) in data.lines.iter().enumerate() {
            tx.run(
                "INSERT INTO lines (id, name, number) VALUES ($1, $2, $3)",
                &[&(index as i64 + 1), &line.name, &line.number],
            )
            .await?;
        }
        let now = crate::db::now_ms();
        for (index, contact) in data.contacts.iter().enumerate() {
            let id = index as i64 + 1;
            let named = crate::db::seed::demo_contact(contact);
            if let Some((first, last)) = &named {
                tx.run(
                    "INSERT INTO contacts (id, first_name, last_name, name, source, created_at,
                                           updated_at)
                     VALUES ($1, $2, $3, $4, 'switchboard', $5, $5)",
                    &[&id, first, last, &contact.name, &now],
                )
                .await?;
            }
            tx.run(
                "INSERT INTO numbers (id, number, contact_id) VALUES ($1, $2, $3)",
                &[&id, &contact.number, &named.as_ref().map(|_| id)],
            )
            .await?;
        }
        for (index, conversation) in data.conversations.iter().enumerate() {
            let first_at = conversation.activities.first().map_or(0, |a| a.at);
            tx.run(
                "INSERT INTO conversations (id, line_id, number_id, status, unread,
                                            latest_activity_at)
                 VALUES ($1, $2, $3, 'open', FALSE, $4)",
                &[
                    &(index as i64 + 1),
                    &(conversation.line as i64 + 1),
                    &(conversation.contact as i64 + 1),
                    &first_at,
                ],
            )
            .await?;
        }
        // The ids above were given, not drawn: the identities go on after them, or the next
        // contact or conversation created would take an id that is already there.
        for table in ["lines", "numbers", "contacts", "conversations"] {
            tx.run(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
                ),
                &[],
            )
            .await?;
        }

        let mut timeline: Vec<(usize, &NewActivity)> = data
            .conversations
            .iter()
            .enumerate()
            .flat_map(|(c, conversation)| conversation.activities.iter().map(move |a| (c, a)))
            .collect();
        timeline.sort_by_key(|(c, activity)| (activity.at, *c));
        let mut latest_inbound = vec![None; data.conversations.len()];
        for (c, activity) in timeline {
            let id = insert_activity(tx, ConversationId(c as i64 + 1), activity).await?;
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
            store_state(tx, ConversationId(index as i64 + 1), inserted, state).await?;
        }
        Ok(true)
    })
    .await
}

pub(crate) async fn share_out(
    db: &Postgres,
    team: &[crate::demo::TeamMember],
) -> Result<(), DbError> {
    db.write(async move |tx, _| {
        let open = tx
            .all(
                "SELECT id, line_id FROM conversations WHERE status = 'open' ORDER BY id",
                &[],
            )
            .await?
            .iter()
            .map(|row| Ok((row.try_get::<_, i64>(0)?, row.try_get::<_, i64>(1)?)))
            .collect::<Result<Vec<_>, DbError>>()?;
        for (id, line) in &open {
            if id % 3 != 0 {
                continue;
            }
            let able: Vec<&crate::demo::TeamMember> = team
                .iter()
                .filter(|(_, lines)| lines.as_ref().is_none_or(|l| l.contains(&LineId(*line))))
                .collect();
            if let Some((member, _)) = able.get((*id as usize / 3) % able.len().max(1)) {
                tx.run(
                    "UPDATE conversations SET assignee_id = $1 WHERE id = $2",
                    &[&member.0, id],
                )
                .await?;
            }
        }
        tx.run(
            "UPDATE conversations SET pinned = TRUE WHERE id IN
                (SELECT id FROM conversations WHERE status = 'open' AND id % 11 = 0
                  ORDER BY latest_activity_at DESC LIMIT 2)",
            &[],
        )
        .await?;
        Ok(())
    })
    .await
}
