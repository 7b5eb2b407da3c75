//! `switchboard copy`: a SQLite workspace into an empty PostgreSQL database, every row of every
//! table with its id, in one PostgreSQL transaction (all of it or nothing) from one SQLite
//! snapshot.

use super::postgres::{Postgres, Sql};
use super::sqlite::Sqlite;
use super::DbError;
use rusqlite::types::ValueRef;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};

/// Every table, parents before children (the foreign keys are checked as rows arrive).
const TABLES: &[&str] = &[
    "lines",
    "members",
    "contacts",
    "numbers",
    "conversations",
    "activities",
    "state_changes",
    "line_access",
    "sessions",
    "sign_in_failures",
    "known_clients",
    "notifications",
    "events",
    "webhook_deliveries",
    "retention_marks",
    "outbox",
    "contact_terms",
    "contact_emails",
    "tags",
    "contact_tags",
    "contact_properties",
    "contact_values",
    "contact_notes",
    "contact_history",
];

/// Rows read from SQLite at a time, then written to PostgreSQL.
const BATCH: usize = 10_000;

/// How many rows went into each table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(&'static str, u64)>,
}

/// Why a copy did not start.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the PostgreSQL database already holds a workspace ({table} has rows): copy into an empty one")]
    NotEmpty { table: &'static str },
    #[error("the SQLite database has a table that copy does not know: {0}")]
    UnknownTable(String),
    #[error("the SQLite database has a column that PostgreSQL's schema lacks: {table}.{column}")]
    UnknownColumn { table: &'static str, column: String },
    #[error("{table}.{column}: {problem}")]
    Value {
        table: &'static str,
        column: String,
        problem: String,
    },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for CopyError {
    fn from(error: rusqlite::Error) -> CopyError {
        CopyError::Db(error.into())
    }
}

impl From<tokio_postgres::Error> for CopyError {
    fn from(error: tokio_postgres::Error) -> CopyError {
        CopyError::Db(error.into())
    }
}

/// A value on its way: what PostgreSQL's column takes.
#[derive(Debug)]
enum Value {
    Int(Option<i64>),
    Bool(Option<bool>),
    Text(Option<String>),
}

impl Value {
    fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Value::Int(v) => v,
            Value::Bool(v) => v,
            Value::Text(v) => v,
        }
    }
}

/// Copies every table of `from` into `to`, which must hold no workspace yet.
pub async fn sqlite_to_postgres(from: &Sqlite, to: &Postgres) -> Result<Copied, CopyError> {
    let known = from
        .read(|connection| {
            let mut statement = connection.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )?;
            let names = statement
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(names)
        })
        .await?;
    if let Some(unknown) = known.iter().find(|name| !TABLES.contains(&name.as_str())) {
        return Err(CopyError::UnknownTable(unknown.clone()));
    }
    let mut client = to.client().await?;
    let tx = client.transaction().await?;
    tx.execute(
        "SELECT pg_advisory_xact_lock($1)",
        &[&super::postgres::WRITE_LOCK],
    )
    .await?;
    for table in TABLES {
        let row = tx
            .query_opt(&format!("SELECT 1 FROM {table} LIMIT 1"), &[])
            .await?;
        if row.is_some() {
            return Err(CopyError::NotEmpty { table });
        }
    }
    let mut copied = Vec::new();
    for &table in TABLES {
        // PostgreSQL's columns that SQLite has too: one only PostgreSQL needs (a server's
        // claim on a reply in flight) starts empty.
        let in_sqlite = sqlite_columns(from, table).await?;
        let in_postgres = postgres_columns(&tx, table).await?;
        if let Some(lost) = in_sqlite
            .iter()
            .find(|name| !in_postgres.iter().any(|(column, _)| column == *name))
        {
            return Err(CopyError::UnknownColumn {
                table,
                column: lost.clone(),
            });
        }
        let columns: Vec<(String, Type)> = in_postgres
            .into_iter()
            .filter(|(name, _)| in_sqlite.contains(name))
            .collect();
        let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
        let types: Vec<Type> = columns.iter().map(|(_, t)| t.clone()).collect();
        let select = format!(
            "SELECT rowid, {} FROM {table} WHERE rowid > $1 ORDER BY rowid LIMIT {BATCH}",
            names.join(", ")
        );
        let copy = format!("COPY {table} ({}) FROM STDIN BINARY", names.join(", "));
        let sink = tx.copy_in(&copy).await?;
        let writer = BinaryCopyInWriter::new(sink, &types);
        futures_util::pin_mut!(writer);
        let mut count = 0u64;
        let mut after = i64::MIN;
        loop {
            let (rows, last) = read_batch(from, table, &select, &columns, after).await?;
            for row in &rows {
                let values: Vec<&(dyn ToSql + Sync)> = row.iter().map(Value::as_sql).collect();
                writer.as_mut().write(&values).await?;
            }
            count += rows.len() as u64;
            match last {
                Some(rowid) if rows.len() == BATCH => after = rowid,
                _ => break,
            }
        }
        writer.finish().await?;
        copied.push((table, count));
    }
    // The identities go on from the copied ids, not from 1.
    let identities = tx
        .all(
            "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns
              WHERE table_schema = current_schema() AND is_identity = 'YES'",
            &[],
        )
        .await?;
    for row in identities {
        let table: String = row.try_get(0).map_err(DbError::from)?;
        let column: String = row.try_get(1).map_err(DbError::from)?;
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                               COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            ),
            &[],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Copied { tables: copied })
}

/// SQLite's columns of `table`.
async fn sqlite_columns(from: &Sqlite, table: &str) -> Result<Vec<String>, CopyError> {
    let sql = format!("SELECT * FROM {table} LIMIT 0");
    Ok(from
        .read(move |connection| {
            let statement = connection.prepare(&sql)?;
            Ok(statement
                .column_names()
                .into_iter()
                .map(str::to_owned)
                .collect())
        })
        .await?)
}

/// PostgreSQL's columns of `table`, in order, with their types.
async fn postgres_columns(
    tx: &super::postgres::Transaction<'_>,
    table: &str,
) -> Result<Vec<(String, Type)>, CopyError> {
    let statement = tx
        .prepare(&format!("SELECT * FROM {table} LIMIT 0"))
        .await?;
    Ok(statement
        .columns()
        .iter()
        .map(|column| (column.name().to_owned(), column.type_().clone()))
        .collect())
}

/// The next rows of `table` after SQLite's `rowid` `after`, read in one snapshot each batch, as
/// PostgreSQL's columns take them; and the last rowid read.
async fn read_batch(
    from: &Sqlite,
    table: &'static str,
    select: &str,
    columns: &[(String, Type)],
    after: i64,
) -> Result<(Vec<Vec<Value>>, Option<i64>), CopyError> {
    let sql = select.to_owned();
    let columns = columns.to_vec();
    let outcome = from
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query([after])?;
            let mut batch = Vec::new();
            let mut last = None;
            while let Some(row) = rows.next()? {
                last = Some(row.get::<_, i64>(0)?);
                let mut values = Vec::with_capacity(columns.len());
                for (index, (name, kind)) in columns.iter().enumerate() {
                    let value = row.get_ref(index + 1)?;
                    values.push(match convert(value, kind) {
                        Ok(value) => value,
                        Err(problem) => {
                            return Ok(Err(CopyError::Value {
                                table,
                                column: name.clone(),
                                problem,
                            }))
                        }
                    });
                }
                batch.push(values);
            }
            Ok(Ok((batch, last)))
        })
        .await?;
    outcome
}

fn convert(value: ValueRef<'_>, kind: &Type) -> Result<Value, String> {
    Ok(match (kind, value) {
        (&Type::INT8, ValueRef::Null) => Value::Int(None),
        (&Type::INT8, ValueRef::Integer(n)) => Value::Int(Some(n)),
        (&Type::BOOL, ValueRef::Null) => Value::Bool(None),
        (&Type::BOOL, ValueRef::Integer(n)) => Value::Bool(Some(n != 0)),
        (&Type::TEXT, ValueRef::Null) => Value::Text(None),
        (&Type::TEXT, ValueRef::Text(text)) => Value::Text(Some(
            std::str::from_utf8(text)
                .map_err(|_| "text that is not UTF-8".to_owned())?
                .to_owned(),
        )),
        (kind, value) => {
            return Err(format!(
                "a {:?} value where PostgreSQL takes {kind}",
                value.data_type()
            ))
        }
    })
}
