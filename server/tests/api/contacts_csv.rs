//! Contacts in and out as CSV over real HTTP: the files spreadsheets write, a large one, files
//! that are not CSV, previews, the rows refused, and an export that imports back unchanged.

use crate::helpers::{assert_error, ok_json, spawn_app, TestApp};
use reqwest::StatusCode;
use serde_json::json;
use switchboard_domain::api::ErrorCode;
use switchboard_domain::contacts::{ContactCard, ContactList, ImportField, ImportReport};

async fn import(app: &TestApp, query: &str, body: impl Into<reqwest::Body>) -> ImportReport {
    ok_json(
        app.post_raw(&format!("/api/v1/contacts/import{query}"), "text/csv", body)
            .await,
    )
    .await
}

async fn everyone(app: &TestApp) -> Vec<ContactCard> {
    let list: ContactList = ok_json(app.get("/api/v1/contacts?limit=500").await).await;
    assert!(list.next_cursor.is_none());
    list.contacts
}

async fn find(app: &TestApp, q: &str) -> Vec<ContactCard> {
    let list: ContactList = ok_json(app.get(&format!("/api/v1/contacts?q={q}")).await).await;
    list.contacts
}

#[tokio::test]
async fn a_french_excel_file_in_windows_1252_with_semicolons_and_national_numbers() {
    let app = spawn_app().await;
    // What French Excel saves: Windows-1252, semicolons, CRLF, a quoted line break.
    let mut file: Vec<u8> = Vec::new();
    file.extend(b"Pr\xe9nom;Nom;Soci\xe9t\xe9;T\xe9l\xe9phone;E-mail;\xc9tiquettes;Notes\r\n");
    file.extend(b"H\xe9l\xe8ne;Dubois;\"Caf\xe9 \"\"Noir\"\"\";06 12 34 56 78;helene@cafe.example;\"VIP, Fid\xe8le\";\r\n");
    file.extend(b"Jean;Martin;;01 23 45 67 89;;;\"Rappeler\r\nlundi\"\r\n");
    file.extend(b"Zo\xe9;Bad;;12;;;\r\n");
    let report = import(&app, "?default_country=FR", file).await;
    assert!(!report.preview);
    assert_eq!((report.created, report.updated), (2, 0), "{report:?}");
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(
        report.rejected[0].line, 5,
        "the header is line 1 and Martin's row takes two"
    );
    assert!(
        report.rejected[0].reason.contains("12"),
        "{}",
        report.rejected[0].reason
    );
    assert!(report.rejected_csv.contains("Reason"));
    assert!(report.rejected_csv.contains("Zoé"));
    let fields: Vec<Option<ImportField>> = report.columns.iter().map(|c| c.field.clone()).collect();
    assert_eq!(
        fields,
        vec![
            Some(ImportField::FirstName),
            Some(ImportField::LastName),
            Some(ImportField::Company),
            Some(ImportField::Phone),
            Some(ImportField::Email),
            Some(ImportField::Tags),
            None,
        ]
    );
    let helene = find(&app, "helene").await.remove(0);
    assert_eq!(helene.company.as_deref(), Some("Café \"Noir\""));
    assert_eq!(helene.phones[0].number, "+33612345678");
    assert_eq!(helene.source, "csv");
    assert_eq!(helene.tags.len(), 2, "VIP and Fidèle");
    let martin = find(&app, "jean").await.remove(0);
    assert_eq!(martin.last_name.as_deref(), Some("Martin"));
    assert_eq!(martin.phones[0].number, "+33123456789");
}

#[tokio::test]
async fn utf8_with_a_bom_commas_and_an_explicit_mapping_and_upserts_by_number() {
    let app = spawn_app().await;
    let file = "\u{feff}Who,Mobile,Notes\r\nAna Bell,+1 555 010 9001,ignored\r\n";
    let mapping = json!({"Who": "full_name", "Notes": null}).to_string();
    let query = format!("?mapping={}", urlencode(&mapping));
    let report = import(&app, &query, file).await;
    assert_eq!(report.created, 1, "{report:?}");
    let ana = find(&app, "ana+bell").await.remove(0);
    assert_eq!(ana.first_name.as_deref(), Some("Ana"));
    assert_eq!(ana.last_name.as_deref(), Some("Bell"));
    assert_eq!(ana.phones[0].number, "+15550109001");
    assert_eq!(ana.phones[0].label, "mobile");

    // The same number again: the contact is updated, tags only added.
    let again = "First name,Phone,Tags\nAnabel,+15550109001,Wholesale\n";
    let report = import(&app, "", again).await;
    assert_eq!((report.created, report.updated), (0, 1), "{report:?}");
    let third = "Phone,Tags\n+15550109001,VIP\n";
    import(&app, "", third).await;
    let ana = find(&app, "15550109001").await.remove(0);
    assert_eq!(ana.first_name.as_deref(), Some("Anabel"));
    assert_eq!(ana.tags.len(), 2, "Wholesale stays, VIP is added");
    // Unchanged when nothing differs.
    let report = import(&app, "", third).await;
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 0, 1)
    );
}

#[tokio::test]
async fn a_preview_changes_nothing_and_shows_what_would_be_stored() {
    let app = spawn_app().await;
    let before = everyone(&app).await;
    let file = "First name,Phone\nPreviewed,+15550109002\nBroken,nope\n";
    let report = import(&app, "?preview=true", file).await;
    assert!(report.preview);
    assert_eq!(report.created, 1);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.sample.len(), 1);
    assert_eq!(report.sample[0].first_name.as_deref(), Some("Previewed"));
    assert_eq!(everyone(&app).await, before, "nothing was stored");
}

#[tokio::test]
async fn files_that_are_not_csv_are_refused_with_a_reason() {
    let app = spawn_app().await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    for (body, says) in [
        (png, "not a CSV"),
        (Vec::new(), "empty"),
        (b"Colour,Size\nred,XL\n".to_vec(), "no column"),
    ] {
        let error = assert_error(
            app.post_raw("/api/v1/contacts/import", "text/csv", body)
                .await,
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidBody,
        )
        .await;
        assert!(
            error.error.message.contains(says),
            "{}",
            error.error.message
        );
    }
    assert_error(
        app.post_raw("/api/v1/contacts/import", "application/json", "{}")
            .await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnsupportedMediaType,
    )
    .await;
    assert_error(
        app.post_raw(
            "/api/v1/contacts/import?default_country=XX",
            "text/csv",
            "Phone\n1\n",
        )
        .await,
        StatusCode::BAD_REQUEST,
        ErrorCode::InvalidParameter,
    )
    .await;
    let huge = vec![b'a'; 21 * 1024 * 1024];
    let response = app
        .post_raw("/api/v1/contacts/import", "text/csv", huge)
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_ten_megabyte_file_imports_whole() {
    let app = spawn_app_small().await;
    // Wide rows, as exports from other tools are: a long column nobody maps (the rate of many
    // short rows is the benchmark's).
    let filler = "Customer since the spring fair; asked about delivery. ".repeat(36);
    let mut file = String::from("First name,Last name,Company,Phone,Email,Tags,Plan,History\n");
    let mut rows = 0;
    while file.len() < 10 * 1024 * 1024 {
        rows += 1;
        file.push_str(&format!(
            "Person{rows},Family {rows},Company {},+1 212 {:03} {:04},person{rows}@example.com,\
             \"Tag{}, Bulk\",{},\"{filler}\"\n",
            rows % 500,
            200 + rows / 10_000,
            rows % 10_000,
            rows % 20,
            ["Basic", "Pro", "Enterprise"][rows % 3]
        ));
    }
    assert!(file.len() >= 10 * 1024 * 1024);
    let report = import(&app, "", file).await;
    assert_eq!(report.rejected.len(), 0, "{:?}", report.rejected.first());
    assert_eq!(report.created, rows as u64);
    assert_eq!(
        report.columns.last().unwrap().field,
        None,
        "History is left out"
    );
    let list: ContactList = ok_json(app.get("/api/v1/contacts?q=person77&limit=1").await).await;
    assert_eq!(
        list.contacts[0].properties["plan"],
        json!(["Basic", "Pro", "Enterprise"][77 % 3])
    );
    assert_eq!(list.contacts[0].tags.len(), 2);
}

async fn spawn_app_small() -> TestApp {
    crate::helpers::spawn_app_with(10).await
}

#[tokio::test]
async fn an_export_imports_back_unchanged() {
    let app = spawn_app().await;
    // Awkward values: commas, quotes, semicolons, line breaks, accents, formulas, numbers.
    ok_json::<ContactCard>(
        app.post_json(
            "/api/v1/contacts",
            &json!({"first_name": "Zoë", "last_name": "O'Brien, \"Jr\"", "company": "=SUM(A1)",
                    "role": "Chef; owner",
                    "phones": [{"number": "+33612345678", "label": "work"},
                               {"number": "+15550109003", "label": "mobile"}],
                    "emails": [{"address": "zoe@example.com", "label": "home"}],
                    "tags": ["VIP", "Café"],
                    "properties": {"plan": "Enterprise", "lifetime_value": 1234.5,
                                   "newsletter": false, "interests": ["Delivery", "Warranty"],
                                   "address": "1 rue de la Paix\n75002 Paris",
                                   "website": "https://zoe.example/?a=1,2"}}),
        )
        .await,
    )
    .await;
    let before = everyone(&app).await;
    for separator in ["comma", "semicolon"] {
        let response = app
            .get(&format!("/api/v1/contacts/export?separator={separator}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        assert!(response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("contacts.csv"));
        let file = response.bytes().await.unwrap();
        assert!(file.starts_with(b"\xef\xbb\xbf"), "a BOM for Excel");
        let report = import(&app, "", file.to_vec()).await;
        assert_eq!(report.rejected.len(), 0, "{:?}", report.rejected);
        assert_eq!(
            (report.created, report.updated),
            (0, 0),
            "{separator}: every contact found and unchanged"
        );
        assert_eq!(report.unchanged as usize, before.len());
        assert_eq!(everyone(&app).await, before);
    }
    // A filtered export holds only what the filter finds.
    let tags: switchboard_domain::contacts::TagList = ok_json(app.get("/api/v1/tags").await).await;
    let cafe = tags.tags.iter().find(|t| t.name == "Café").unwrap();
    let file = app
        .get(&format!("/api/v1/contacts/export?tag={}", cafe.id))
        .await
        .text()
        .await
        .unwrap();
    // Records end with CRLF; the address's own line break is a lone LF inside quotes.
    assert_eq!(file.matches("\r\n").count(), 2, "{file}");
    assert!(file.contains("Zoë"));
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
