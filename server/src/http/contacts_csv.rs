//! Contacts in and out as CSV files, as spreadsheets write and read them.

use crate::auth::CurrentMember;
use crate::contact_csv::{self, ImportOptions};
use crate::db::contacts::{self as store, ContactQuery, ImportRow};
use crate::error::extract::Query;
use crate::error::AppError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use serde::Deserialize;
use std::collections::BTreeMap;
use switchboard_domain::api::ErrorResponse;
use switchboard_domain::contacts::{ContactSort, ImportField, ImportReport, RejectedRow};
use switchboard_domain::TagId;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The largest file an import takes (a spreadsheet of some 200,000 contacts).
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;
/// Rows of a preview shown as they would be stored.
const SAMPLE_ROWS: usize = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_contacts))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
        .routes(routes!(export_contacts))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ImportParams {
    /// The country (ISO 3166 code, e.g. `FR`) of national numbers in the file.
    default_country: Option<String>,
    /// `true`: say what the import would do, and change nothing.
    preview: Option<bool>,
    /// JSON: header → field (`first_name`, `last_name`, `full_name`, `company`, `role`,
    /// `phone`, `email`, `tags`, `{"property": "key"}`, or `null` to ignore the column);
    /// other columns are mapped by their header.
    mapping: Option<String>,
}

/// Imports contacts from a CSV file (a header row, then a contact per row), creating them or
/// updating the one with the row's number (then email): fields given are set, numbers, emails
/// and tags only added. UTF-8 (with or without BOM), UTF-16 or Windows-1252; comma, semicolon or
/// tab. Rows it cannot take are listed with the reason (and as a CSV to fix and import again).
#[utoipa::path(post, path = "/contacts/import", tag = "contacts", params(ImportParams),
    request_body(content = String, content_type = "text/csv", description = "The file"),
    responses(
        (status = 200, description = "What the import did (or would do)", body = ImportReport),
        (status = 400, description = "Not a CSV file, no usable column, or a parameter is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 413, description = "The file is larger than 20 MB", body = ErrorResponse),
        (status = 415, description = "Not sent as text/csv", body = ErrorResponse),
    ))]
async fn import_contacts(
    State(state): State<AppState>,
    CurrentMember(member): CurrentMember,
    Query(params): Query<ImportParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<axum::Json<ImportReport>, AppError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !matches!(
        content_type.as_str(),
        "text/csv" | "application/csv" | "text/plain" | "application/vnd.ms-excel"
    ) {
        return Err(AppError::UnsupportedMediaType(format!(
            "send the file as text/csv, not {content_type:?}"
        )));
    }
    let default_country = params
        .default_country
        .as_deref()
        .map(crate::phone_numbers::country)
        .transpose()
        .map_err(AppError::InvalidParameter)?;
    let mapping = params
        .mapping
        .as_deref()
        .map(serde_json::from_str::<BTreeMap<String, Option<ImportField>>>)
        .transpose()
        .map_err(|e| {
            AppError::InvalidParameter(format!(
                "mapping must be a JSON object of header → field or null: {e}"
            ))
        })?;
    let preview = params.preview.unwrap_or(false);
    let properties = store::properties(&state.db).await?;
    let options = ImportOptions {
        default_country,
        mapping,
    };
    let parsed =
        tokio::task::spawn_blocking(move || contact_csv::read(&body, &properties, &options))
            .await
            .map_err(|e| AppError::Database(e.into()))?
            .map_err(|e| AppError::InvalidBody(e.to_string()))?;
    let mut rejected = parsed.rejected;
    let mut values_by_line = BTreeMap::new();
    let mut rows = Vec::with_capacity(parsed.rows.len());
    let mut sample = Vec::new();
    for row in parsed.rows {
        if preview && sample.len() < SAMPLE_ROWS {
            sample.push(row.contact.clone());
        }
        match super::contacts::draft_of(row.contact) {
            Ok(draft) => {
                values_by_line.insert(row.line, row.values.clone());
                rows.push(ImportRow {
                    line: row.line,
                    values: row.values,
                    draft,
                });
            }
            Err(error) => rejected.push(RejectedRow {
                line: row.line,
                reason: error.to_string(),
                values: row.values,
            }),
        }
    }
    let imported = store::import(&state.db, rows, member.id, state.clock.now_ms(), preview).await?;
    for (line, reason) in imported.rejected {
        rejected.push(RejectedRow {
            line,
            reason,
            values: values_by_line.remove(&line).unwrap_or_default(),
        });
    }
    rejected.sort_by_key(|r| r.line);
    let rejected_csv = contact_csv::rejected_csv(&parsed.header, &rejected);
    Ok(axum::Json(ImportReport {
        preview,
        columns: parsed.columns,
        created: imported.created,
        updated: imported.updated,
        unchanged: imported.unchanged,
        rejected,
        rejected_csv,
        sample,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ExportParams {
    /// As in `GET /contacts`: only the contacts found.
    q: Option<String>,
    #[param(value_type = Option<i64>)]
    tag: Option<TagId>,
    property: Option<String>,
    value: Option<String>,
    sort: Option<ContactSort>,
    /// `semicolon` for spreadsheets set to French (and other decimal-comma languages);
    /// `comma` (default).
    separator: Option<String>,
}

/// Every contact (or those a search or filter finds) as a CSV file with their numbers,
/// emails, tags and properties; importing it back changes nothing.
#[utoipa::path(get, path = "/contacts/export", tag = "contacts", params(ExportParams),
    responses(
        (status = 200, description = "The contacts", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter is wrong", body = ErrorResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    ))]
async fn export_contacts(
    State(state): State<AppState>,
    CurrentMember(_): CurrentMember,
    Query(params): Query<ExportParams>,
) -> Result<impl IntoResponse, AppError> {
    let separator = match params.separator.as_deref() {
        None | Some("comma") => b',',
        Some("semicolon") => b';',
        Some(other) => {
            return Err(AppError::InvalidParameter(format!(
                "separator is comma or semicolon, not {other:?}"
            )))
        }
    };
    let property = super::contacts::property_filter(params.property, params.value)?;
    let query = ContactQuery {
        q: params.q.filter(|q| !q.trim().is_empty()),
        tag: params.tag,
        property,
        sort: params.sort.unwrap_or_default(),
        after: None,
        limit: 0,
    };
    let contacts = store::all(&state.db, query).await?;
    let tags = store::tags(&state.db).await?;
    let properties = store::properties(&state.db).await?;
    let file = tokio::task::spawn_blocking(move || {
        contact_csv::write(&contacts, &tags, &properties, separator)
    })
    .await
    .map_err(|e| AppError::Database(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"contacts.csv\"",
            ),
        ],
        file,
    ))
}
