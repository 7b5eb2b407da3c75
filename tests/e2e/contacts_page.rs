//! The Contacts page: reached from the sidebar, a windowed list paged with the API's cursor,
//! searched by company and by a number typed without formatting, filtered by tag and by
//! property, sorted, exported with its filters; a contact created by hand, merged with another
//! (the numbers move, on the server) and deleted; a CSV previewed, its mapping changed, then
//! imported.

use crate::helpers::{eventually, ui, ui_count, ui_with, wait_for, E2e, Key, Plural, Text};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use switchboard_domain::contacts::{ContactCard, ContactList, ContactPage, TagList};
use switchboard_domain::ContactId;

/// The grid of contacts, as assistive technology finds it.
fn grid() -> String {
    format!("[role=grid][aria-label='{}']", ui(Text::ContactsLabel))
}

/// The contact rows in the DOM, by their accessible names, top to bottom.
async fn row_names(client: &Client) -> Vec<String> {
    let script = format!(
        "return [...document.querySelectorAll(\"{} [role=row][data-contact-id]\")].map(r => r.getAttribute('aria-label'))",
        grid()
    );
    serde_json::from_value(client.execute(&script, vec![]).await.expect("rows")).unwrap()
}

/// Sets a field's value as typing would, and lets the app hear it.
async fn type_into(client: &Client, selector: &str, text: &str) {
    let script = format!(
        "const f = document.querySelector(\"{selector}\"); f.focus(); f.value = arguments[0];
         f.dispatchEvent(new Event('input', {{ bubbles: true }}));"
    );
    client
        .execute(&script, vec![json!(text)])
        .await
        .unwrap_or_else(|e| panic!("{selector}: {e}"));
}

fn searchbox() -> String {
    format!(
        "input[type=search][aria-label='{}']",
        ui(Text::ContactsSearch)
    )
}

/// The select inside the label that says `name`.
async fn select_labelled(client: &Client, name: &str) -> Element {
    client
        .wait()
        .for_element(Locator::XPath(&format!(
            "//label[normalize-space(span)='{name}']/select"
        )))
        .await
        .unwrap_or_else(|e| panic!("the select {name}: {e}"))
}

async fn button(client: &Client, name: &str) -> Element {
    client
        .wait()
        .for_element(Locator::XPath(&format!(
            "//button[normalize-space()=\"{name}\"]"
        )))
        .await
        .unwrap_or_else(|e| panic!("the button {name}: {e}"))
}

async fn link(client: &Client, name: &str) -> Element {
    client
        .wait()
        .for_element(Locator::XPath(&format!(
            "//a[normalize-space()=\"{name}\"]"
        )))
        .await
        .unwrap_or_else(|e| panic!("the link {name}: {e}"))
}

impl E2e {
    async fn make_contact(&self, body: Value) -> ContactCard {
        let response = self.post_json("/api/v1/contacts", &body).await;
        assert_eq!(response.status(), 201, "{body}");
        response.json().await.unwrap()
    }

    async fn contact_total(&self, query: &str) -> u64 {
        let list: ContactList = self
            .get_json(&format!("/api/v1/contacts?limit=1&{query}"))
            .await;
        list.total.expect("the first page says the total")
    }

    async fn contact_status(&self, id: ContactId) -> u16 {
        self.get(&format!("/api/v1/contacts/{id}"))
            .await
            .status()
            .as_u16()
    }

    /// Waits until the grid's rows are `names`, in that order.
    async fn wait_rows(&self, what: &str, names: &[&str]) {
        eventually(what, || async {
            row_names(&self.browser.client).await == names
        })
        .await;
    }
}

#[tokio::test]
async fn the_contacts_page_searches_filters_sorts_and_exports() {
    let app = E2e::start().await;
    let quentin = app
        .make_contact(json!({
            "first_name": "Quentin", "last_name": "Zephyr", "company": "Quillfeather Studio",
            "phones": [{"number": "+33 6 12 34 56 78", "label": "mobile"}], "tags": ["E2E Page"],
            "properties": {"plan": "Enterprise"},
        }))
        .await;
    let ursula = app
        .make_contact(json!({
            "first_name": "Ursula", "last_name": "Zephyr", "company": "Harbour Lights",
            "phones": [{"number": "+1 555 010 7788", "label": "work"}], "tags": ["E2E Page"],
            "properties": {"plan": "Basic"},
        }))
        .await;
    app.make_contact(json!({
        "first_name": "Aaron", "last_name": "Zephyr",
        "phones": [{"number": "+1 555 010 7799", "label": "mobile"}],
    }))
    .await;
    let tags: TagList = app.get_json("/api/v1/tags").await;
    let tag = tags
        .tags
        .iter()
        .find(|t| t.name == "E2E Page")
        .expect("the tag")
        .id;

    // From the inbox, the sidebar's link.
    app.open("/all/open").await;
    let client = &app.browser.client;
    link(client, ui(Text::ContactsNav))
        .await
        .click()
        .await
        .unwrap();
    eventually("the Contacts page shows", || async {
        app.path().await == "/contacts"
    })
    .await;
    wait_for(client, &format!("{} [role=row][data-contact-id]", grid())).await;
    let total = app.contact_total("").await;
    assert!(total > 60, "the demo has more contacts than a page shows");
    let count = ui_count(Plural::ContactsCount, total as usize);
    eventually("the count shows", || async {
        app.js("return document.querySelector('.contacts-count').textContent")
            .await
            == count.as_str()
    })
    .await;

    // Windowed: scrolled to its end, the list has fetched every page, and the DOM holds only
    // the rows in view.
    let last_index = (total + 1).to_string();
    eventually("the last contact is reached by scrolling", || async {
        let state = app
            .js(&format!(
                "const g = document.querySelector(\"{}\"); g.scrollTop = g.scrollHeight;
                 const rows = g.querySelectorAll('[role=row][data-contact-id]');
                 return [rows.length, rows.length ? rows[rows.length - 1].getAttribute('aria-rowindex') : ''];",
                grid()
            ))
            .await;
        let rendered = state[0].as_u64().unwrap();
        assert!(rendered < 50, "{rendered} rows in the DOM");
        state[1] == last_index.as_str()
    })
    .await;

    // Search by company, then by a number typed without its formatting.
    client
        .find(Locator::Css(&searchbox()))
        .await
        .expect("the searchbox")
        .send_keys("Quillfeather")
        .await
        .unwrap();
    app.wait_rows("the company finds its contact", &["Quentin Zephyr"])
        .await;
    eventually("the count follows the search", || async {
        app.js("return document.querySelector('.contacts-count').textContent")
            .await
            == ui_count(Plural::ContactsCount, 1).as_str()
    })
    .await;
    type_into(client, &searchbox(), "612345678").await;
    app.wait_rows("the digits find the number", &["Quentin Zephyr"])
        .await;
    type_into(client, &searchbox(), "zephyr").await;
    app.wait_rows(
        "by name, A to Z",
        &["Aaron Zephyr", "Quentin Zephyr", "Ursula Zephyr"],
    )
    .await;
    // ↓ moves from a row to the next.
    app.js(&format!(
        "document.querySelector(\"{} [role=row][aria-label='Aaron Zephyr'] a\").focus()",
        grid()
    ))
    .await;
    app.press(Key::Down).await;
    eventually("the next row has the focus", || async {
        app.js("const r = document.activeElement.closest('[role=row]'); return r && r.getAttribute('aria-label')")
            .await
            == "Quentin Zephyr"
    })
    .await;

    // Filtered by tag, then sorted newest first.
    select_labelled(client, ui(Text::FiltersTag))
        .await
        .select_by_value(&tag.to_string())
        .await
        .unwrap();
    app.wait_rows("only the tagged", &["Quentin Zephyr", "Ursula Zephyr"])
        .await;
    select_labelled(client, ui(Text::ContactsSort))
        .await
        .select_by_value("created")
        .await
        .unwrap();
    app.wait_rows("newest first", &["Ursula Zephyr", "Quentin Zephyr"])
        .await;

    // The export carries the filters: the tagged Zephyrs, with semicolons.
    let href = link(client, ui(Text::ContactsExportSemicolon))
        .await
        .attr("href")
        .await
        .unwrap()
        .expect("the export's address");
    let response = app.get(&href).await;
    assert_eq!(response.status(), 200, "{href}");
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.contains(';'), "semicolons: {header}");
    assert!(csv.contains("Quentin") && csv.contains("Ursula"), "{csv}");
    assert!(!csv.contains("Aaron"), "the export is filtered: {csv}");

    // A property's value: the plan.
    select_labelled(client, ui(Text::ContactsProperty))
        .await
        .select_by_value("plan")
        .await
        .unwrap();
    select_labelled(client, ui(Text::ContactsValue))
        .await
        .select_by_value("Enterprise")
        .await
        .unwrap();
    app.wait_rows("only the Enterprise plan", &["Quentin Zephyr"])
        .await;

    // A row leads to its contact's page.
    let row_link = client
        .find(Locator::Css(&format!(
            "{} [role=row][aria-label='Quentin Zephyr'] a",
            grid()
        )))
        .await
        .expect("the row's link");
    row_link.click().await.unwrap();
    eventually("the contact's page shows", || async {
        app.path().await == format!("/contacts/{}", quentin.id)
    })
    .await;
    wait_for(client, "h1.contact-name").await;

    // Back: the list as it was left, its search and filters kept.
    client.back().await.unwrap();
    app.wait_rows("the list is as it was left", &["Quentin Zephyr"])
        .await;
    assert_eq!(
        app.js(&format!(
            "return document.querySelector(\"{}\").value",
            searchbox()
        ))
        .await,
        "zephyr"
    );
    let _ = ursula;
    app.finish().await;
}

#[tokio::test]
async fn a_contact_made_by_hand_takes_in_another_by_merging_then_is_deleted() {
    let app = E2e::start().await;
    let other = app
        .make_contact(json!({
            "first_name": "Mira", "last_name": "O.", "company": "Okafor Freight",
            "phones": [{"number": "+15550107002", "label": "work"}],
            "emails": [{"address": "mira@okafor.example", "label": ""}],
            "tags": ["E2E Merge"],
        }))
        .await;
    app.browser
        .client
        .goto(&format!("{}/contacts", app.server.url))
        .await
        .unwrap();
    let client = &app.browser.client;
    wait_for(client, &format!("{} [role=row][data-contact-id]", grid())).await;

    // New contact, by hand.
    button(client, ui(Text::ContactsNew))
        .await
        .click()
        .await
        .unwrap();
    wait_for(client, "dialog[open]").await;
    for (label, value) in [
        (ui(Text::ContactFirstName), "Mira"),
        (ui(Text::ContactLastName), "Okafor"),
        (ui(Text::ContactsPhone), "+1 555 010 7001"),
    ] {
        client
            .find(Locator::XPath(&format!(
                "//dialog//label[normalize-space(span)=\"{label}\"]/input"
            )))
            .await
            .unwrap_or_else(|e| panic!("{label}: {e}"))
            .send_keys(value)
            .await
            .unwrap();
    }
    button(client, ui(Text::ContactsCreate))
        .await
        .click()
        .await
        .unwrap();
    eventually("the new contact's page shows", || async {
        app.js("const h = document.querySelector('h1.contact-name'); return h && h.textContent")
            .await
            == "Mira Okafor"
    })
    .await;
    let path = app.path().await;
    let kept: ContactId = path
        .strip_prefix("/contacts/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a contact's page: {path}"));

    // Merge: search, choose the other, read what will happen, merge.
    button(client, ui(Text::ContactsMerge))
        .await
        .click()
        .await
        .unwrap();
    wait_for(client, "dialog[open]").await;
    type_into(
        client,
        &format!(
            "dialog input[type=search][aria-label='{}']",
            ui(Text::ContactsMergeSearch)
        ),
        "Okafor",
    )
    .await;
    let candidate = client
        .wait()
        .for_element(Locator::XPath(
            "//dialog//button[contains(@class, 'merge-candidate')][.//span[@class='name']='Mira O.']",
        ))
        .await
        .expect("the other contact among the results");
    // The kept contact itself is not offered.
    assert!(client
        .find(Locator::XPath(
            "//dialog//button[contains(@class, 'merge-candidate')][.//span[@class='name']='Mira Okafor']"
        ))
        .await
        .is_err());
    candidate.click().await.unwrap();
    let keeps = ui_with(
        Text::ContactsMergeKeeps,
        &[("kept", "Mira Okafor"), ("other", "Mira O.")],
    );
    eventually("the dialog says what the merge does", || async {
        app.js("const s = document.querySelector('.merge-summary'); return s && s.textContent")
            .await
            .as_str()
            .is_some_and(|text| text.contains(&keeps) && text.contains("(555) 010-7002"))
    })
    .await;
    button(
        client,
        &ui_with(
            Text::ContactsMergeConfirm,
            &[("other", "Mira O."), ("kept", "Mira Okafor")],
        ),
    )
    .await
    .click()
    .await
    .unwrap();

    // On the server: the numbers, the email and the tag moved over; the other is gone.
    eventually("the server merged them", || async {
        let page: ContactPage = app.get_json(&format!("/api/v1/contacts/{kept}")).await;
        let mut numbers: Vec<&str> = page
            .contact
            .phones
            .iter()
            .map(|p| p.number.as_str())
            .collect();
        numbers.sort();
        numbers == ["+15550107001", "+15550107002"]
            && page.contact.emails.len() == 1
            && page.contact.company.as_deref() == Some("Okafor Freight")
    })
    .await;
    assert_eq!(app.contact_status(other.id).await, 404);
    // The page shows the kept contact with its new number.
    let second = format!(
        "input[aria-label='{}']",
        ui_with(Text::ContactNumber, &[("n", "2")])
    );
    eventually("the page shows the number that moved", || async {
        app.js(&format!(
            "const f = document.querySelector(\"{second}\"); return f && f.value"
        ))
        .await
        .as_str()
        .is_some_and(|v| {
            v.replace(|c: char| !c.is_ascii_digit(), "")
                .ends_with("5550107002")
        })
    })
    .await;
    assert!(client.find(Locator::Css("dialog[open]")).await.is_err());

    // Delete, confirmed in a dialog: back to the list, and gone from the server.
    let actions = format!("[role=group][aria-label='{}']", ui(Text::ContactsActions));
    client
        .find(Locator::XPath(&format!(
            "//*[@role='group'][@aria-label=\"{}\"]//button[normalize-space()=\"{}\"]",
            ui(Text::ContactsActions),
            ui(Text::ContactsDelete)
        )))
        .await
        .unwrap_or_else(|e| panic!("Delete in {actions}: {e}"))
        .click()
        .await
        .unwrap();
    wait_for(client, "dialog[open]").await;
    client
        .find(Locator::XPath(&format!(
            "//dialog//button[normalize-space()=\"{}\"]",
            ui(Text::ContactsDelete)
        )))
        .await
        .expect("the dialog's Delete")
        .click()
        .await
        .unwrap();
    eventually("back on the list", || async {
        app.path().await == "/contacts"
    })
    .await;
    assert_eq!(app.contact_status(kept).await, 404);
    app.finish().await;
}

#[tokio::test]
async fn a_csv_is_previewed_its_mapping_changed_then_imported() {
    let app = E2e::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.csv");
    std::fs::write(
        &file,
        "Prénom;Nom;Entreprise;Téléphone;Remarque\n\
         Lina;Marchetti;Verde Import;06 11 22 33 44;amie\n\
         Bad;Row;X;not a number;\n",
    )
    .unwrap();
    app.browser
        .client
        .goto(&format!("{}/contacts", app.server.url))
        .await
        .unwrap();
    let client = &app.browser.client;
    link(client, ui(Text::ContactsImport))
        .await
        .click()
        .await
        .unwrap();
    eventually("the import screen shows", || async {
        app.path().await == "/contacts/import"
    })
    .await;
    select_labelled(client, ui(Text::ImportCountry))
        .await
        .select_by_value("FR")
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("input[type=file]"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();

    // The preview: what would happen, and how each column is read.
    let counts = || async {
        app.js("const c = document.querySelector('.import-counts'); return c ? [...c.children].map(li => li.textContent) : []")
            .await
    };
    let created = ui_count(Plural::ImportCreated, 1);
    let refused = ui_count(Plural::ImportRefused, 1);
    eventually("the preview counts", || async {
        let shown = counts().await;
        shown.as_array().is_some_and(|c| {
            c.iter().any(|t| t == created.as_str()) && c.iter().any(|t| t == refused.as_str())
        })
    })
    .await;
    let field = |header: &str| {
        format!(
            "select[aria-label=\"{}\"]",
            ui_with(Text::ImportFieldOf, &[("header", header)])
        )
    };
    let value_of = |selector: String| {
        let app = &app;
        async move {
            app.js(&format!(
                "const s = document.querySelector('{selector}'); return s && s.value"
            ))
            .await
        }
    };
    assert_eq!(value_of(field("Prénom")).await, "first_name");
    assert_eq!(value_of(field("Remarque")).await, "");
    let line = app
        .js("return [...document.querySelectorAll('.import-refused tbody td:first-child')].map(td => td.textContent)")
        .await;
    assert_eq!(line, json!(["3"]));
    let download = link(client, ui(Text::ImportDownload))
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(download.starts_with("data:text/csv"), "{download}");

    // The company column read as the role instead: the preview is read again with it.
    client
        .find(Locator::Css(&field("Entreprise")))
        .await
        .unwrap()
        .select_by_value("role")
        .await
        .unwrap();
    eventually("the preview took the new mapping", || async {
        value_of(field("Entreprise")).await == "role"
            && counts()
                .await
                .as_array()
                .is_some_and(|c| c.iter().any(|t| t == created.as_str()))
    })
    .await;
    button(client, ui(Text::ImportRun))
        .await
        .click()
        .await
        .unwrap();
    let done = ui_count(Plural::ImportDoneCreated, 1);
    eventually("the import says what it did", || async {
        counts()
            .await
            .as_array()
            .is_some_and(|c| c.iter().any(|t| t == done.as_str()))
    })
    .await;
    let found: ContactList = app.get_json("/api/v1/contacts?q=Marchetti").await;
    assert_eq!(found.contacts.len(), 1);
    let lina = &found.contacts[0];
    assert_eq!(lina.first_name.as_deref(), Some("Lina"));
    assert_eq!(lina.phones[0].number, "+33611223344");
    assert_eq!(lina.role.as_deref(), Some("Verde Import"));
    assert_eq!(lina.company, None);
    app.finish().await;
}
