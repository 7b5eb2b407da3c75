//! Component tests in headless Chromium (wasm-bindgen-test): each component mounted alone with
//! a store filled in place, checked through the DOM by role and accessible name.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use switchboard_domain::api::{
    Activity, ActivityContent, CallOutcome, Contact, ConversationDetail, ConversationSummary,
    Direction, Line,
};
use switchboard_domain::contacts::{
    ContactCard, ContactNote, ContactPage, ContactPhone, PropertyDefinition, PropertyType, Tag,
    TagColour,
};
use switchboard_domain::team::MemberRef;
use switchboard_domain::{ActivityId, ContactId, ConversationId, LineId, Status, View};
use switchboard_domain::{ContactNoteId, MemberId, TagId};
use switchboard_web::components::{
    ContactPanel, ConversationRow, InboxList, LineSidebar, Now, ShortcutSheet, TagFilter,
    ThreadPane, ViewTabs,
};
use switchboard_web::routes::{InboxRoute, LineFilter};
use switchboard_web::store::{ConversationList, ListKey, ListStatus, Store, Thread};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_615_500_000;

fn summary(id: i64, name: &str, unread: bool, status: Status) -> ConversationSummary {
    ConversationSummary {
        id: ConversationId(id),
        line_id: LineId(2),
        contact: Contact {
            id: Some(ContactId(id)),
            name: Some(name.to_owned()),
            number: "+12125550100".to_owned(),
            tags: Vec::new(),
        },
        status,
        unread,
        latest_activity: Activity {
            id: ActivityId(id * 10),
            conversation_id: ConversationId(id),
            direction: Direction::Inbound,
            at: NOW - 60_000,
            content: ActivityContent::Message {
                text: format!("Hello from {name}"),
            },
            delivery: None,
        },
        latest_inbound_activity_id: Some(ActivityId(id * 10)),
        assignee: None,
        pinned: false,
    }
}

/// Mounts `view` in a fresh container with `store` in context, styled by the app's own
/// stylesheet; returns the container.
fn mount<V: IntoView + 'static>(store: Store, view: impl FnOnce() -> V + 'static) -> Element {
    let document = document();
    if document.get_element_by_id("app-style").is_none() {
        let style = document.create_element("style").unwrap();
        style.set_id("app-style");
        style.set_text_content(Some(include_str!("../style/main.css")));
        document.head().unwrap().append_child(&style).unwrap();
    }
    let container = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(
        container.clone().unchecked_into::<HtmlElement>(),
        move || {
            store.provide();
            provide_context(Now(RwSignal::new(NOW)));
            view()
        },
    );
    handle.forget();
    container
}

/// Waits until effects and the renderer have caught up with signal changes: Leptos runs them
/// as microtasks, and a task queued now runs only once every microtask has (a condition, not
/// a fixed sleep).
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn attr(element: &Element, name: &str) -> String {
    element.get_attribute(name).unwrap_or_default()
}

fn store_with(summaries: &[ConversationSummary], view: View) -> Store {
    let store = Store::new();
    for summary in summaries {
        store.remember(summary.clone());
    }
    store
        .place
        .route
        .set(InboxRoute::list(LineFilter::All, view));
    store.inbox.list.set(ConversationList {
        key: Some(ListKey {
            line: LineFilter::All,
            view,
            mine: false,
            tag: None,
        }),
        ids: summaries.iter().map(|s| s.id).collect(),
        next_cursor: None,
        status: ListStatus::Ready,
    });
    store
}

#[wasm_bindgen_test]
async fn a_row_names_its_contact_says_unread_and_follows_its_state() {
    let maya = summary(7, "Maya Smith", true, Status::Open);
    let store = store_with(std::slice::from_ref(&maya), View::Open);
    let signal = store.summary(maya.id).unwrap();
    let root = mount(store, move || {
        view! { <div role="grid" aria-label="Conversations">
            <ConversationRow id=ConversationId(7) summary=signal position=Signal::stored(1)/>
        </div> }
    });
    tick().await;
    let row = find(&root, "[role=row]");
    assert_eq!(attr(&row, "data-conversation-id"), "7");
    assert_eq!(attr(&row, "aria-selected"), "false");
    assert_eq!(attr(&row, "aria-rowindex"), "1");
    let label = attr(&row, "aria-label");
    assert!(
        label.starts_with("Maya Smith, unread, Hello from Maya Smith, "),
        "{label}"
    );
    assert!(row.class_list().contains("unread"));
    let done = find(&row, "[role=gridcell] button[aria-label='Mark as done']");
    let unread = find(&row, "[role=gridcell] button[aria-label='Mark as unread']");
    assert!(!done.has_attribute("disabled"));
    assert!(unread.has_attribute("disabled"), "already unread");

    store.select(ConversationId(7));
    let mut read = maya.clone();
    read.unread = false;
    store.remember(read);
    tick().await;
    assert_eq!(attr(&row, "aria-selected"), "true");
    // The grid keeps the focus and names its selected row as the active descendant; inside a
    // row only the selected row's buttons are in the tab order.
    assert_eq!(attr(&row, "id"), "conversation-7");
    assert_eq!(count(&row, "[tabindex='0']:not(button)"), 0);
    assert!(!attr(&row, "aria-label").contains("unread"));
    assert!(!row.class_list().contains("unread"));
}

#[wasm_bindgen_test]
async fn in_the_done_view_a_row_offers_mark_as_open_instead_of_done() {
    let done = summary(8, "Leo Martin", false, Status::Done);
    let store = store_with(std::slice::from_ref(&done), View::Done);
    let signal = store.summary(done.id).unwrap();
    let root = mount(store, move || {
        view! { <ConversationRow id=ConversationId(8) summary=signal position=Signal::stored(1)/> }
    });
    tick().await;
    assert_eq!(count(&root, "button[aria-label='Mark as open']"), 1);
    assert_eq!(count(&root, "button[aria-label='Mark as done']"), 0);
    assert_eq!(count(&root, "button[aria-label='Mark as unread']"), 1);
}

#[wasm_bindgen_test]
async fn the_line_sidebar_shows_each_lines_unread_count() {
    let store = Store::new();
    let root = mount(store, || view! { <LineSidebar/> });
    store.lines.set_reported(vec![
        Line {
            id: LineId(1),
            name: "Main".into(),
            number: "+15550100100".into(),
            unread_count: 0,
            sends_from: None,
        },
        Line {
            id: LineId(2),
            name: "Support".into(),
            number: "+15550100200".into(),
            unread_count: 3,
            sends_from: None,
        },
    ]);
    tick().await;
    let nav = find(&root, "nav[aria-label='Phone lines']");
    // Each link is named by its text: nothing hidden from screen readers, nothing said that
    // is not also shown (WCAG 2.5.3).
    let names = || -> Vec<String> {
        let links = nav.query_selector_all("a").unwrap();
        (0..links.length())
            .map(|i| links.get(i).unwrap().text_content().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        names(),
        [
            "All lines, 3 unread",
            "Main, (555) 010-0100",
            "Support, (555) 010-0200, 3 unread"
        ]
    );
    assert_eq!(count(&nav, "a[aria-label]"), 0);
    assert_eq!(count(&nav, "[aria-hidden]"), 0);
    assert_eq!(
        find(&nav, "a[aria-current=page]").text_content().unwrap(),
        "All lines, 3 unread"
    );

    store.lines.report_count(LineId(2), 4);
    tick().await;
    assert_eq!(names()[2], "Support, (555) 010-0200, 4 unread");
}

#[wasm_bindgen_test]
async fn the_view_tabs_are_tabs_and_mark_the_current_view() {
    let store = Store::new();
    store
        .place
        .route
        .set(InboxRoute::list(LineFilter::Line(LineId(2)), View::Unread));
    let root = mount(store, || view! { <ViewTabs/> });
    tick().await;
    let tabs = root
        .query_selector_all("[role=tablist] [role=tab]")
        .unwrap();
    assert_eq!(tabs.length(), 3);
    let names: Vec<String> = (0..3)
        .map(|i| tabs.get(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(names, ["Open", "Unread", "Done"]);
    let selected = find(&root, "[role=tab][aria-selected=true]");
    assert_eq!(selected.text_content().unwrap(), "Unread");
    assert_eq!(attr(&selected, "href"), "/2/unread");
}

#[wasm_bindgen_test]
async fn a_list_of_ten_thousand_renders_only_a_screenful() {
    let summaries: Vec<ConversationSummary> = (1..=10_000)
        .map(|i| summary(i, &format!("Contact {i}"), i % 5 == 0, Status::Open))
        .collect();
    let store = store_with(&summaries, View::Open);
    let root = mount(
        store,
        || view! { <div style="height: 600px; display: flex; flex-direction: column"><InboxList/></div> },
    );
    tick().await;
    let grid = find(&root, "[role=grid][aria-label=Conversations]");
    assert_eq!(attr(&grid, "aria-rowcount"), "10000");
    let rendered = count(&grid, "[role=row]");
    assert!((5..40).contains(&rendered), "{rendered} rows rendered");
    // The grid names its selected row, while that row is rendered.
    let first_id = attr(&find(&grid, "[role=row]"), "data-conversation-id");
    store.select(ConversationId(first_id.parse().unwrap()));
    tick().await;
    assert_eq!(
        attr(&grid, "aria-activedescendant"),
        format!("conversation-{first_id}")
    );

    grid.set_scroll_top(76 * 5000);
    grid.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    tick().await;
    let rendered = count(&grid, "[role=row]");
    assert!(rendered < 40, "{rendered} rows rendered after scrolling");
    let first = find(&grid, "[role=row]");
    let index: usize = attr(&first, "aria-rowindex").parse().unwrap();
    assert!((4990..=5001).contains(&index), "first rendered row {index}");
    assert!(
        !grid.has_attribute("aria-activedescendant"),
        "the selected row is not rendered"
    );
}

#[wasm_bindgen_test]
async fn the_shortcut_sheet_is_a_dialog_that_opens_and_closes() {
    let store = Store::new();
    let root = mount(store, || view! { <ShortcutSheet/> });
    tick().await;
    let dialog: web_sys::HtmlDialogElement = find(&root, "dialog").unchecked_into();
    assert!(!dialog.open());
    store.place.sheet_open.set(true);
    tick().await;
    assert!(dialog.open());
    let text = dialog.text_content().unwrap();
    for expected in [
        "Keyboard shortcuts",
        "Mark as done",
        "Mark as unread",
        "Mark as open",
        "Undo the last change",
    ] {
        assert!(text.contains(expected), "{expected} missing from {text}");
    }
    store.place.sheet_open.set(false);
    tick().await;
    assert!(!dialog.open());
}

#[wasm_bindgen_test]
async fn a_thread_shows_messages_calls_and_voicemails() {
    let maya = summary(3, "Maya Smith", false, Status::Open);
    let activity = |id: i64, direction, content| Activity {
        id: ActivityId(id),
        conversation_id: ConversationId(3),
        direction,
        at: NOW - 3_600_000,
        content,
        delivery: None,
    };
    let detail = ConversationDetail {
        conversation: maya.clone(),
        activities: vec![
            activity(
                1,
                Direction::Inbound,
                ActivityContent::Call {
                    outcome: CallOutcome::Missed,
                    duration_seconds: 0,
                },
            ),
            activity(
                2,
                Direction::Inbound,
                ActivityContent::Voicemail {
                    duration_seconds: 21,
                    transcript: Some("Please call me back".into()),
                },
            ),
            activity(
                3,
                Direction::Outbound,
                ActivityContent::Call {
                    outcome: CallOutcome::Answered,
                    duration_seconds: 185,
                },
            ),
            activity(
                4,
                Direction::Outbound,
                ActivityContent::Message {
                    text: "Glad we sorted it out".into(),
                },
            ),
        ],
    };
    let store = store_with(&[maya], View::Open);
    store
        .open_thread
        .thread
        .set(Thread::Loaded(Box::new(detail)));
    store.place.route.set(
        InboxRoute::list(LineFilter::All, View::Open).with_conversation(Some(ConversationId(3))),
    );
    let root = mount(store, || view! { <ThreadPane/> });
    tick().await;
    assert_eq!(
        find(&root, ".thread-header h1").text_content().unwrap(),
        "Maya Smith"
    );
    // The contact is beside the thread's region, not inside it (a complementary landmark sits
    // in no other region).
    assert_eq!(count(&root, "aside[aria-label=Contact]"), 1);
    assert_eq!(count(&root, "section[aria-label=Conversation] aside"), 0);
    let items = root
        .query_selector_all("ol[aria-label='Messages and calls'] > li")
        .unwrap();
    assert_eq!(items.length(), 4);
    let text = find(&root, "ol[aria-label='Messages and calls']")
        .text_content()
        .unwrap();
    assert!(text.contains("Missed call"), "{text}");
    assert!(
        text.contains("Voicemail · 21s") && text.contains("Please call me back"),
        "{text}"
    );
    assert!(text.contains("Outgoing call · 3m 5s"), "{text}");
    assert_eq!(count(&root, ".activity.message.outbound .bubble"), 1);
    assert_eq!(
        count(&root, "textarea[aria-label='Reply to Maya Smith']"),
        1
    );
}

#[wasm_bindgen_test]
fn after_sign_in_the_page_goes_on_only_to_a_place_on_this_site() {
    use switchboard_web::pages::sign_in::same_origin_path;
    let origin = "https://switchboard.example";
    assert_eq!(
        same_origin_path("/2/open/15?assignee=me#latest", origin).as_deref(),
        Some("/2/open/15?assignee=me#latest")
    );
    assert_eq!(
        same_origin_path("https://switchboard.example/lines", origin).as_deref(),
        Some("/lines")
    );
    // What a browser would read as another site, however it is spelled.
    for away in [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example/all/open",
        "/\t/evil.example",
        "https://evil.example/all/open",
        "http://switchboard.example/all/open",
        "javascript:alert(1)",
    ] {
        assert_eq!(same_origin_path(away, origin), None, "{away:?}");
    }
}

fn tags() -> Vec<Tag> {
    vec![
        Tag {
            id: TagId(1),
            name: "VIP".into(),
            colour: TagColour::Purple,
        },
        Tag {
            id: TagId(2),
            name: "Wholesale".into(),
            colour: TagColour::Teal,
        },
    ]
}

fn property(key: &str, name: &str, kind: PropertyType, options: &[&str]) -> PropertyDefinition {
    PropertyDefinition {
        key: key.into(),
        name: name.into(),
        kind,
        options: options.iter().map(|o| o.to_string()).collect(),
        position: 0,
    }
}

fn maya_page() -> ContactPage {
    ContactPage {
        contact: ContactCard {
            id: ContactId(3),
            name: "Maya Smith".into(),
            first_name: Some("Maya".into()),
            last_name: Some("Smith".into()),
            company: Some("Smith Bakery".into()),
            role: None,
            phones: vec![ContactPhone {
                number: "+12125550100".into(),
                label: "mobile".into(),
            }],
            emails: Vec::new(),
            tags: vec![TagId(1)],
            properties: [
                ("plan".to_owned(), serde_json::json!("Pro")),
                ("vip_since".to_owned(), serde_json::json!("2024-03-01")),
                ("newsletter".to_owned(), serde_json::json!(true)),
                ("lines".to_owned(), serde_json::json!(["SMS"])),
            ]
            .into_iter()
            .collect(),
            source: "switchboard".into(),
            external_id: None,
            created_by: None,
            created_at: NOW - 86_400_000,
            updated_at: NOW - 3_600_000,
        },
        notes: vec![ContactNote {
            id: ContactNoteId(5),
            contact_id: ContactId(3),
            author: MemberRef {
                id: MemberId(2),
                name: "Jordan Lee".into(),
            },
            text: "Prefers texts to calls".into(),
            mentions: Vec::new(),
            conversation_id: Some(ConversationId(3)),
            at: NOW - 7_200_000,
            edited_at: None,
        }],
        conversations: Vec::new(),
        history: Vec::new(),
    }
}

/// The field inside the `label` whose text starts with `name`.
fn labelled(root: &Element, name: &str) -> Element {
    let labels = root.query_selector_all("label").unwrap();
    (0..labels.length())
        .map(|i| labels.get(i).unwrap().unchecked_into::<Element>())
        .find(|label| {
            label
                .text_content()
                .unwrap_or_default()
                .trim()
                .starts_with(name)
        })
        .and_then(|label| label.query_selector("input, select, textarea").unwrap())
        .unwrap_or_else(|| panic!("no field labelled {name}"))
}

#[wasm_bindgen_test]
async fn the_contact_panel_is_a_region_named_contact_with_every_field_labelled() {
    let mut maya = summary(3, "Maya Smith", false, Status::Open);
    maya.contact.tags = vec![TagId(1)];
    let store = store_with(&[maya], View::Open);
    store.contacts.tags.set(tags());
    store.contacts.properties.set(vec![
        property(
            "plan",
            "Plan",
            PropertyType::SingleChoice,
            &["Basic", "Pro"],
        ),
        property("vip_since", "VIP since", PropertyType::Date, &[]),
        property("newsletter", "Newsletter", PropertyType::Boolean, &[]),
        property("address", "Address", PropertyType::Address, &[]),
        property(
            "lines",
            "Channels",
            PropertyType::MultipleChoice,
            &["SMS", "Calls"],
        ),
    ]);
    store.contacts.put_page(maya_page());
    let root = mount(
        store,
        || view! { <ContactPanel conversation=Some(ConversationId(3))/> },
    );
    tick().await;
    let panel = find(&root, "aside[aria-label=Contact]");
    assert_eq!(find(&panel, "h2").text_content().unwrap(), "Maya Smith");
    let value = |name| {
        labelled(&panel, name)
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value()
    };
    assert_eq!(value("First name"), "Maya");
    assert_eq!(value("Last name"), "Smith");
    assert_eq!(value("Company"), "Smith Bakery");
    assert_eq!(value("Role"), "");
    assert_eq!(value("VIP since"), "2024-03-01");
    assert_eq!(attr(&labelled(&panel, "VIP since"), "type"), "date");
    assert_eq!(labelled(&panel, "Address").tag_name(), "TEXTAREA");
    let plan: web_sys::HtmlSelectElement = labelled(&panel, "Plan").unchecked_into();
    assert_eq!(plan.value(), "Pro");
    let newsletter: web_sys::HtmlInputElement = find(&panel, "label.check input").unchecked_into();
    assert!(newsletter.checked());
    assert_eq!(
        find(&panel, "fieldset legend").text_content().unwrap(),
        "Channels"
    );
    let number = find(&panel, "input[aria-label='Number 1']");
    assert_eq!(
        number.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        "+12125550100"
    );
    assert_eq!(count(&panel, "input[aria-label='Label of number 1']"), 1);
    assert_eq!(count(&panel, "button[aria-label='Remove number 1']"), 1);
    // The contact's tag as a chip in its colour, with its × named for it.
    let chip = find(&panel, ".tag-list .tag-chip");
    assert!(chip.class_list().contains("tag-purple"));
    assert_eq!(count(&chip, "button[aria-label='Remove tag VIP']"), 1);
    assert_eq!(value("Add a tag"), "");
    // The datalist suggests the workspace's tags the contact does not have.
    assert_eq!(count(&panel, "datalist option[value=Wholesale]"), 1);
    assert_eq!(count(&panel, "datalist option[value=VIP]"), 0);
    let note = find(&panel, ".contact-note");
    assert!(note
        .text_content()
        .unwrap()
        .contains("Prefers texts to calls"));
    assert_eq!(
        count(
            &panel,
            "textarea[aria-label='Note about this contact (type @ to mention)']"
        ),
        1
    );

    // A teammate renames the contact: the panel follows, and so does the conversation.
    let mut renamed = maya_page();
    renamed.contact.first_name = Some("May".into());
    renamed.contact.name = "May Smith".into();
    renamed.contact.updated_at += 1;
    store.apply_live(switchboard_domain::team::LiveEvent::Contact {
        contact: renamed.contact,
    });
    tick().await;
    assert_eq!(find(&panel, "h2").text_content().unwrap(), "May Smith");
    assert_eq!(value("First name"), "May");
    assert_eq!(
        store
            .summary(ConversationId(3))
            .unwrap()
            .with_untracked(|s| s.contact.display_name()),
        "May Smith"
    );
}

#[wasm_bindgen_test]
async fn an_unknown_number_offers_to_create_a_contact() {
    let mut stranger = summary(4, "unused", true, Status::Open);
    stranger.contact = Contact {
        id: None,
        name: None,
        number: "+12125550144".into(),
        tags: Vec::new(),
    };
    let store = store_with(&[stranger], View::Open);
    let root = mount(
        store,
        || view! { <ContactPanel conversation=Some(ConversationId(4))/> },
    );
    tick().await;
    let panel = find(&root, "aside[aria-label=Contact]");
    assert_eq!(find(&panel, "h2").text_content().unwrap(), "(212) 555-0144");
    let button = find(&panel, "button.create-contact");
    assert_eq!(button.text_content().unwrap(), "Create contact");
    assert_eq!(count(&panel, "input"), 0);
}

#[wasm_bindgen_test]
async fn a_tagged_contacts_row_shows_its_tags_and_keeps_its_name() {
    let mut maya = summary(7, "Maya Smith", false, Status::Open);
    maya.contact.tags = vec![TagId(2), TagId(1)];
    let store = store_with(std::slice::from_ref(&maya), View::Open);
    store.contacts.tags.set(tags());
    let signal = store.summary(maya.id).unwrap();
    let root = mount(store, move || {
        view! { <div role="grid" aria-label="Conversations">
            <ConversationRow id=ConversationId(7) summary=signal position=Signal::stored(1)/>
        </div> }
    });
    tick().await;
    let row = find(&root, "[role=row]");
    let chips = row.query_selector_all(".row-tags .tag-chip").unwrap();
    let names: Vec<String> = (0..chips.length())
        .map(|i| chips.get(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(names, ["Wholesale", "VIP"]);
    assert!(
        attr(&row, "aria-label").starts_with("Maya Smith, Hello from Maya Smith, "),
        "{}",
        attr(&row, "aria-label")
    );
    // The tag leaves the contact: its chip leaves the row.
    let mut untagged = maya.clone();
    untagged.contact.tags = vec![TagId(1)];
    store.remember(untagged);
    tick().await;
    assert_eq!(count(&row, ".row-tags .tag-chip"), 1);
}

#[wasm_bindgen_test]
async fn the_tag_filter_is_a_labelled_select_of_every_tag_showing_the_routes() {
    let store = Store::new();
    store
        .place
        .route
        .set(InboxRoute::list(LineFilter::All, View::Open).tagged(Some(TagId(2))));
    let root = mount(store, || view! { <TagFilter/> });
    tick().await;
    // The tags arrive after the first paint; the route's is then the chosen one.
    store.contacts.tags.set(tags());
    tick().await;
    let select: web_sys::HtmlSelectElement = labelled(&root, "Tag").unchecked_into();
    let options: Vec<String> = (0..select.length())
        .map(|i| select.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(options, ["Any tag", "VIP", "Wholesale"]);
    assert_eq!(select.value(), "2");
}
