//! Importing contacts from a CSV file: a preview first (what would be created, updated, left
//! alone or refused, and which field each column fills, each changeable), then the import; the
//! refused rows are listed with their reason and can be downloaded to fix and import again.

use crate::api::{self, ImportOptions};
use crate::contact_list::{field_value, mapping_json, parse_field, FIELDS};
use crate::i18n::{t, tf, tn, Plural, Text};
use crate::store::{Contacts, Store};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use switchboard_domain::contacts::{ImportColumn, ImportField, ImportReport};

/// Countries offered for national numbers (ISO 3166 codes, as the API takes them).
const COUNTRIES: [&str; 12] = [
    "FR", "US", "CA", "GB", "BE", "CH", "DE", "ES", "IT", "NL", "LU", "MA",
];

#[derive(Debug, Clone, PartialEq)]
enum Stage {
    /// No file chosen yet.
    Empty,
    Reading,
    Shown(Box<ImportReport>),
    Failed(String),
}

#[component]
pub fn ImportScreen() -> impl IntoView {
    let store = expect_context::<Store>();
    let file_input = NodeRef::<html::Input>::new();
    let country = RwSignal::new(String::new());
    let columns = RwSignal::new(Vec::<ImportColumn>::new());
    let chosen_mapping = RwSignal::new(false);
    let stage = RwSignal::new(Stage::Empty);
    let send = move |preview: bool| {
        let Some(file) = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            stage.set(Stage::Empty);
            return;
        };
        let country = country.get_untracked();
        let mapping = chosen_mapping
            .get_untracked()
            .then(|| columns.with_untracked(|c| mapping_json(c)));
        stage.set(Stage::Reading);
        spawn_local(async move {
            let options = ImportOptions {
                preview,
                default_country: (!country.is_empty()).then_some(country.as_str()),
                mapping: mapping.as_deref(),
            };
            match api::import_contacts(&file, &options).await {
                Ok(report) => {
                    columns.set(report.columns.clone());
                    stage.set(Stage::Shown(Box::new(report)));
                }
                Err(error) => {
                    store.check_signed_out(&error);
                    stage.set(Stage::Failed(tf(
                        Text::ImportFailed,
                        &[("error", &error.server_message())],
                    )));
                }
            }
        });
    };
    let map_column = Callback::new(move |(index, field): (usize, Option<ImportField>)| {
        columns.update(|columns| {
            if let Some(column) = columns.get_mut(index) {
                column.field = field;
            }
        });
        chosen_mapping.set(true);
        send(true);
    });
    view! {
        <div class="import-page">
            <nav class="contact-page-back" aria-label=t(Text::ImportBack)>
                <a href="/contacts">"← "{t(Text::ImportBack)}</a>
            </nav>
            <h1>{t(Text::ImportTitle)}</h1>
            <p class="hint">{t(Text::ImportHint)}</p>
            <div class="import-form">
                <label class="field">
                    <span>{t(Text::ImportFile)}</span>
                    <input type="file" accept=".csv,text/csv" node_ref=file_input
                        on:change=move |_| {
                            chosen_mapping.set(false);
                            send(true);
                        }/>
                </label>
                <label class="field">
                    <span>{t(Text::ImportCountry)}</span>
                    <select on:change=move |ev| {
                        country.set(event_target_value(&ev));
                        if matches!(stage.get_untracked(), Stage::Shown(_)) {
                            send(true);
                        }
                    }>
                        <option value="">{t(Text::ImportCountryNone)}</option>
                        {COUNTRIES.map(|code| view! { <option value=code>{code}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            {move || match stage.get() {
                Stage::Empty => ().into_any(),
                Stage::Reading => view! {
                    <p class="import-status" role="status">{t(Text::ImportReading)}</p>
                }.into_any(),
                Stage::Failed(message) => view! {
                    <p class="import-status form-error" role="alert">{message}</p>
                }.into_any(),
                Stage::Shown(report) => view! {
                    <ImportReportView report=*report columns map_column
                        run=move || send(false)/>
                }.into_any(),
            }}
        </div>
    }
}

/// What the import would do (a preview) or did, its columns, and its refused rows.
#[component]
fn ImportReportView(
    report: ImportReport,
    columns: RwSignal<Vec<ImportColumn>>,
    map_column: Callback<(usize, Option<ImportField>)>,
    run: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let preview = report.preview;
    let counts = match preview {
        true => [
            tn(Plural::ImportCreated, report.created as usize),
            tn(Plural::ImportUpdated, report.updated as usize),
            tn(Plural::ImportUnchanged, report.unchanged as usize),
            tn(Plural::ImportRefused, report.rejected.len()),
        ],
        false => [
            tn(Plural::ImportDoneCreated, report.created as usize),
            tn(Plural::ImportDoneUpdated, report.updated as usize),
            tn(Plural::ImportUnchanged, report.unchanged as usize),
            tn(Plural::ImportRefused, report.rejected.len()),
        ],
    };
    let download = (!report.rejected.is_empty()).then(|| {
        format!(
            "data:text/csv;charset=utf-8,{}",
            js_sys::encode_uri_component(&report.rejected_csv)
        )
    });
    view! {
        <section class="import-report" aria-labelledby="import-report-title">
            <h2 id="import-report-title">
                {t(if preview { Text::ImportPreview } else { Text::ImportResult })}
            </h2>
            <div role="status">
                <ul class="import-counts">
                    {counts.into_iter().map(|count| view! { <li>{count}</li> }).collect_view()}
                </ul>
            </div>
            {preview.then(|| view! {
                <ImportColumns columns map_column/>
                <button type="button" class="primary import-run" on:click=move |_| run()>
                    {t(Text::ImportRun)}
                </button>
            })}
            {(!report.rejected.is_empty()).then(|| view! {
                <h3>{t(Text::ImportRefusedTitle)}</h3>
                <table class="import-refused">
                    <thead>
                        <tr><th scope="col">{t(Text::ImportLine)}</th><th scope="col">{t(Text::ImportReason)}</th></tr>
                    </thead>
                    <tbody>
                        {report.rejected.iter().map(|row| view! {
                            <tr><td>{row.line.to_string()}</td><td class="reject-reason">{row.reason.clone()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <a class="button" download="refused-rows.csv" href=download.clone()>{t(Text::ImportDownload)}</a>
            })}
        </section>
    }
}

/// Each column of the file and the field it fills, changeable.
#[component]
fn ImportColumns(
    columns: RwSignal<Vec<ImportColumn>>,
    map_column: Callback<(usize, Option<ImportField>)>,
) -> impl IntoView {
    let contacts = expect_context::<Contacts>();
    let field_name = |field: &ImportField| -> &'static str {
        t(match field {
            ImportField::FirstName => Text::ContactFirstName,
            ImportField::LastName => Text::ContactLastName,
            ImportField::FullName => Text::ImportFullName,
            ImportField::Company => Text::ContactCompany,
            ImportField::Role => Text::ContactRole,
            ImportField::Phone => Text::ContactsPhone,
            ImportField::Email => Text::ContactsEmail,
            ImportField::Tags => Text::ContactTags,
            ImportField::Property(_) => Text::ContactProperties,
        })
    };
    let rows = move || {
        columns.get().into_iter().enumerate().map(|(index, column)| {
            let current = field_value(column.field.as_ref());
            let label = tf(Text::ImportFieldOf, &[("header", &column.header)]);
            let options = FIELDS
                .iter()
                .map(|field| {
                    let value = field_value(Some(field));
                    let selected = value == current;
                    view! { <option value=value selected=selected>{field_name(field)}</option> }
                })
                .collect_view();
            let properties = contacts.properties.with_untracked(|all| {
                all.iter()
                    .map(|p| {
                        let value = field_value(Some(&ImportField::Property(p.key.clone())));
                        let selected = value == current;
                        view! { <option class="property-option" value=value selected=selected>{p.name.clone()}</option> }
                    })
                    .collect_view()
            });
            view! {
                <tr>
                    <th scope="row" class="import-header">{column.header.clone()}</th>
                    <td>
                        <select aria-label=label on:change=move |ev| {
                            map_column.run((index, parse_field(&event_target_value(&ev))));
                        }>
                            <option value="" selected=current.is_empty()>{t(Text::ImportIgnore)}</option>
                            {options}
                            {properties}
                        </select>
                    </td>
                </tr>
            }
        }).collect_view()
    };
    view! {
        <table class="import-columns">
            <caption>{t(Text::ImportColumns)}</caption>
            <thead>
                <tr><th scope="col">{t(Text::ImportColumn)}</th><th scope="col">{t(Text::ImportField)}</th></tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
