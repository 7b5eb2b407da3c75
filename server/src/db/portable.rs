//! SQL written once for both engines: the contacts' queries (and what comes after them) run the
//! same statements on SQLite and PostgreSQL, through [`Portable`], so that one function holds
//! each rule instead of two copies that drift apart.
//!
//! Values are integers, text or NULL only (the tables these queries use hold nothing else), and
//! parameters are `$1`, `$2`…, which both engines read. SQLite's work runs in place on its
//! connection: its futures are always ready, and [`on_sqlite`] polls them once.

use super::events::{Audience, EventLog};
use super::DbError;
use futures_util::FutureExt;
use std::future::Future;
use switchboard_domain::team::LiveEvent;
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};

/// A parameter or a column's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum V {
    Null,
    Int(i64),
    Text(String),
}

impl From<i64> for V {
    fn from(value: i64) -> V {
        V::Int(value)
    }
}

impl From<&str> for V {
    fn from(value: &str) -> V {
        V::Text(value.to_owned())
    }
}

impl From<String> for V {
    fn from(value: String) -> V {
        V::Text(value)
    }
}

impl From<&String> for V {
    fn from(value: &String) -> V {
        V::Text(value.clone())
    }
}

impl<T: Into<V>> From<Option<T>> for V {
    fn from(value: Option<T>) -> V {
        value.map_or(V::Null, Into::into)
    }
}

/// One row of a result.
#[derive(Debug, Clone)]
pub struct PRow(Vec<V>);

impl PRow {
    #[cfg(test)]
    pub fn for_tests(values: Vec<V>) -> PRow {
        PRow(values)
    }

    fn at(&self, index: usize) -> Result<&V, DbError> {
        self.0
            .get(index)
            .ok_or_else(|| DbError::Corrupt(format!("no column {index}")))
    }

    pub fn int(&self, index: usize) -> Result<i64, DbError> {
        match self.at(index)? {
            V::Int(value) => Ok(*value),
            other => Err(DbError::Corrupt(format!(
                "column {index}: {other:?}, not an integer"
            ))),
        }
    }

    pub fn opt_int(&self, index: usize) -> Result<Option<i64>, DbError> {
        match self.at(index)? {
            V::Null => Ok(None),
            _ => self.int(index).map(Some),
        }
    }

    pub fn text(&self, index: usize) -> Result<String, DbError> {
        match self.at(index)? {
            V::Text(value) => Ok(value.clone()),
            other => Err(DbError::Corrupt(format!(
                "column {index}: {other:?}, not text"
            ))),
        }
    }

    pub fn opt_text(&self, index: usize) -> Result<Option<String>, DbError> {
        match self.at(index)? {
            V::Null => Ok(None),
            _ => self.text(index).map(Some),
        }
    }
}

/// A connection or transaction of either engine.
pub trait Portable {
    /// The rows of a query.
    fn rows(&mut self, sql: &str, params: &[V])
        -> impl Future<Output = Result<Vec<PRow>, DbError>>;
    /// Runs a statement; the number of rows it changed.
    fn run(&mut self, sql: &str, params: &[V]) -> impl Future<Output = Result<u64, DbError>>;
    /// Runs statements without parameters or results (savepoints).
    fn batch(&mut self, sql: &str) -> impl Future<Output = Result<(), DbError>>;
    /// Records a live event in the write's transaction (an error when only reading).
    fn event(
        &mut self,
        audience: Audience,
        event: &LiveEvent,
        at: i64,
    ) -> impl Future<Output = Result<(), DbError>>;

    /// The first row, if any.
    fn opt(
        &mut self,
        sql: &str,
        params: &[V],
    ) -> impl Future<Output = Result<Option<PRow>, DbError>> {
        async move { Ok(self.rows(sql, params).await?.into_iter().next()) }
    }

    /// The one row a query must return.
    fn one(&mut self, sql: &str, params: &[V]) -> impl Future<Output = Result<PRow, DbError>> {
        async move {
            self.opt(sql, params)
                .await?
                .ok_or_else(|| DbError::Corrupt(format!("no row for {sql}")))
        }
    }
}

/// A SQLite connection (or its write transaction, with the events it records).
pub struct SqliteWork<'a> {
    pub connection: &'a rusqlite::Connection,
    pub log: Option<&'a mut EventLog>,
}

impl rusqlite::ToSql for V {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            V::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            V::Int(value) => ToSqlOutput::Borrowed(ValueRef::Integer(*value)),
            V::Text(value) => ToSqlOutput::Borrowed(ValueRef::Text(value.as_bytes())),
        })
    }
}

/// The `$n` of `sql` in the order they first appear, outside quotes and comments: the order in
/// which SQLite numbers them.
fn placeholders_in_order(sql: &str) -> Vec<usize> {
    let bytes = sql.as_bytes();
    let mut order = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'$' => {
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end].is_ascii_digit() {
                    end += 1;
                }
                if let Ok(n) = sql[start..end].parse::<usize>() {
                    if seen.insert(n) {
                        order.push(n);
                    }
                }
                i = end.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    order
}

impl SqliteWork<'_> {
    /// A statement with its parameters bound by name (`$3` is the third whatever the order in
    /// which the SQL first names them). SQLite looks a name up by scanning them all, which a
    /// statement of thousands of values (an import's) would do thousands of times: the order
    /// read off the SQL binds each by position, and the names are asked only if it disagrees.
    fn bound(&self, sql: &str, params: &[V]) -> Result<rusqlite::CachedStatement<'_>, DbError> {
        let mut statement = self.connection.prepare_cached(sql)?;
        let order = placeholders_in_order(sql);
        let agrees = order.len() == statement.parameter_count()
            && order.last().is_none_or(|&n| {
                statement.parameter_name(order.len()) == Some(format!("${n}").as_str())
            });
        if agrees {
            for (position, n) in order.into_iter().enumerate() {
                let value = n.checked_sub(1).and_then(|i| params.get(i));
                statement.raw_bind_parameter(position + 1, value.unwrap_or(&V::Null))?;
            }
            return Ok(statement);
        }
        for (index, value) in params.iter().enumerate() {
            if let Some(position) = statement.parameter_index(&format!("${}", index + 1))? {
                statement.raw_bind_parameter(position, value)?;
            }
        }
        Ok(statement)
    }
}

impl Portable for SqliteWork<'_> {
    async fn rows(&mut self, sql: &str, params: &[V]) -> Result<Vec<PRow>, DbError> {
        use rusqlite::types::ValueRef;
        let mut statement = self.bound(sql, params)?;
        let columns = statement.column_count();
        let mut rows = statement.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for index in 0..columns {
                values.push(match row.get_ref(index)? {
                    ValueRef::Null => V::Null,
                    ValueRef::Integer(value) => V::Int(value),
                    ValueRef::Text(text) => V::Text(String::from_utf8_lossy(text).into_owned()),
                    other => {
                        return Err(DbError::Corrupt(format!(
                            "column {index}: a {:?} value",
                            other.data_type()
                        )))
                    }
                });
            }
            out.push(PRow(values));
        }
        Ok(out)
    }

    async fn run(&mut self, sql: &str, params: &[V]) -> Result<u64, DbError> {
        let mut statement = self.bound(sql, params)?;
        Ok(statement.raw_execute()? as u64)
    }

    async fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.connection.execute_batch(sql)?)
    }

    async fn event(
        &mut self,
        audience: Audience,
        event: &LiveEvent,
        at: i64,
    ) -> Result<(), DbError> {
        match self.log.as_deref_mut() {
            Some(log) => log.record(self.connection, audience, event, at),
            None => Err(DbError::Corrupt(
                "an event recorded outside a write".to_owned(),
            )),
        }
    }
}

/// Runs portable work on SQLite, whose futures never wait.
pub fn on_sqlite<T>(work: impl Future<Output = Result<T, DbError>>) -> Result<T, DbError> {
    work.now_or_never()
        .unwrap_or_else(|| Err(DbError::Corrupt("SQLite work waited".to_owned())))
}

impl ToSql for V {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            V::Null => Ok(IsNull::Yes),
            V::Int(value) => match *ty {
                Type::INT2 => i16::try_from(*value)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*value)?.to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => value.to_string().to_sql(ty, out),
                _ => value.to_sql(ty, out),
            },
            V::Text(value) => value.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn pg_row(row: &tokio_postgres::Row) -> Result<PRow, DbError> {
    let mut values = Vec::with_capacity(row.len());
    for (index, column) in row.columns().iter().enumerate() {
        values.push(match *column.type_() {
            Type::INT8 => row.try_get::<_, Option<i64>>(index)?.into(),
            Type::INT4 => row.try_get::<_, Option<i32>>(index)?.map(i64::from).into(),
            Type::INT2 => row.try_get::<_, Option<i16>>(index)?.map(i64::from).into(),
            Type::BOOL => row.try_get::<_, Option<bool>>(index)?.map(i64::from).into(),
            _ => row.try_get::<_, Option<String>>(index)?.into(),
        });
    }
    Ok(PRow(values))
}

fn pg_params(params: &[V]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

/// A PostgreSQL write transaction, with the events it records.
pub struct PostgresWrite<'a, 't> {
    pub tx: &'a deadpool_postgres::Transaction<'t>,
    pub log: &'a mut EventLog,
}

impl Portable for PostgresWrite<'_, '_> {
    async fn rows(&mut self, sql: &str, params: &[V]) -> Result<Vec<PRow>, DbError> {
        let statement = self.tx.prepare_cached(sql).await?;
        let rows = self.tx.query(&statement, &pg_params(params)).await?;
        rows.iter().map(pg_row).collect()
    }

    async fn run(&mut self, sql: &str, params: &[V]) -> Result<u64, DbError> {
        let statement = self.tx.prepare_cached(sql).await?;
        Ok(self.tx.execute(&statement, &pg_params(params)).await?)
    }

    async fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.tx.batch_execute(sql).await?)
    }

    async fn event(
        &mut self,
        audience: Audience,
        event: &LiveEvent,
        at: i64,
    ) -> Result<(), DbError> {
        super::postgres::events::record(self.tx, self.log, audience, event, at).await
    }
}

/// A PostgreSQL connection, for reading.
pub struct PostgresRead<'a>(pub &'a deadpool_postgres::Client);

impl Portable for PostgresRead<'_> {
    async fn rows(&mut self, sql: &str, params: &[V]) -> Result<Vec<PRow>, DbError> {
        let statement = self.0.prepare_cached(sql).await?;
        let rows = self.0.query(&statement, &pg_params(params)).await?;
        rows.iter().map(pg_row).collect()
    }

    async fn run(&mut self, sql: &str, params: &[V]) -> Result<u64, DbError> {
        let statement = self.0.prepare_cached(sql).await?;
        Ok(self.0.execute(&statement, &pg_params(params)).await?)
    }

    async fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.0.batch_execute(sql).await?)
    }

    async fn event(&mut self, _: Audience, _: &LiveEvent, _: i64) -> Result<(), DbError> {
        Err(DbError::Corrupt(
            "an event recorded outside a write".to_owned(),
        ))
    }
}

/// Runs `$work` (an async expression of `$on: &mut impl Portable`) on a reading connection of
/// either engine.
macro_rules! portable_read {
    ($db:expr, |$on:ident| $work:expr) => {
        match $db {
            $crate::db::Db::Sqlite(db) => {
                db.read(move |connection| {
                    let $on = &mut $crate::db::portable::SqliteWork {
                        connection,
                        log: None,
                    };
                    $crate::db::portable::on_sqlite($work)
                })
                .await
            }
            $crate::db::Db::Postgres(db) => {
                let client = db.client().await?;
                let $on = &mut $crate::db::portable::PostgresRead(&client);
                $work.await
            }
        }
    };
}

/// Runs `$work` in a write transaction of either engine (see [`portable_read`]); its inputs
/// must be owned (moved into the transaction).
macro_rules! portable_write {
    ($db:expr, |$on:ident| $work:expr) => {
        match $db {
            $crate::db::Db::Sqlite(db) => {
                db.write(move |connection, log| {
                    let $on = &mut $crate::db::portable::SqliteWork {
                        connection,
                        log: Some(log),
                    };
                    $crate::db::portable::on_sqlite($work)
                })
                .await
            }
            $crate::db::Db::Postgres(db) => {
                db.write(async move |tx, log| {
                    let $on = &mut $crate::db::portable::PostgresWrite { tx, log };
                    $work.await
                })
                .await
            }
        }
    };
}

pub(crate) use {portable_read, portable_write};

#[cfg(test)]
mod tests {
    use super::placeholders_in_order;

    #[test]
    fn placeholders_come_in_the_order_sqlite_numbers_them() {
        assert_eq!(
            placeholders_in_order("SELECT $2, $1 WHERE a = $2 AND b = $10"),
            vec![2, 1, 10]
        );
        // Not inside quotes or comments.
        assert_eq!(
            placeholders_in_order("SELECT '$5', \"$6\" -- $7\n, $3 LIKE $4 ESCAPE '\\'"),
            vec![3, 4]
        );
        assert_eq!(placeholders_in_order("SELECT 1"), Vec::<usize>::new());
    }
}
