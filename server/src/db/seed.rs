//! Writing the demo dataset.

use super::conversations::{insert_activity, store_state, NewActivity};
use super::{Db, DbError};
use crate::demo::Dataset;
use switchboard_domain::api::Direction;
use switchboard_domain::{ConversationId, ConversationState};

/// Whether the database holds no line yet (a fresh database).
pub async fn is_empty(db: &Db) -> Result<bool, DbError> {
    let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lines")
        .fetch_one(&db.write)
        .await?;
    Ok(lines == 0)
}

/// Inserts the dataset in one transaction. Activities are numbered in time order across all
/// conversations, as if they had arrived one by one.
#[tracing::instrument(skip_all, fields(conversations = data.conversations.len()))]
pub async fn insert(db: &Db, data: &Dataset) -> Result<(), DbError> {
    let mut tx = db.write.begin().await?;
    for (index, line) in data.lines.iter().enumerate() {
        sqlx::query("INSERT INTO lines (id, name, number) VALUES ($1, $2, $3)")
            .bind(index as i64 + 1)
            .bind(line.name)
            .bind(line.number)
            .execute(&mut *tx)
            .await?;
    }
    for (index, contact) in data.contacts.iter().enumerate() {
        sqlx::query("INSERT INTO contacts (id, name, number) VALUES ($1, $2, $3)")
            .bind(index as i64 + 1)
            .bind(&contact.name)
            .bind(&contact.number)
            .execute(&mut *tx)
            .await?;
    }

    for (index, conversation) in data.conversations.iter().enumerate() {
        let first_at = conversation.activities.first().map_or(0, |a| a.at);
        sqlx::query(
            "INSERT INTO conversations (id, line_id, contact_id, status, unread, latest_activity_at)
             VALUES ($1, $2, $3, 'open', FALSE, $4)",
        )
        .bind(index as i64 + 1)
        .bind(conversation.line as i64 + 1)
        .bind(conversation.contact as i64 + 1)
        .bind(first_at)
        .execute(&mut *tx)
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
        let id = insert_activity(&mut tx, ConversationId(c as i64 + 1), activity).await?;
        if activity.direction == Direction::Inbound {
            latest_inbound[c] = Some(id);
        }
    }
    for (index, conversation) in data.conversations.iter().enumerate() {
        let state = ConversationState {
            status: conversation.status,
            unread: conversation.unread,
            latest_inbound: latest_inbound[index],
        };
        store_state(&mut tx, ConversationId(index as i64 + 1), state).await?;
    }
    tx.commit().await?;
    Ok(())
}
