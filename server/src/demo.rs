//! Demo data: three lines, their contacts and a month of realistic traffic, the same every time
//! (a fixed seed), with times counted back from now.

use crate::db::{self, changes::NewActivity, members::NewMember, Db, DbError};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use switchboard_domain::api::{ActivityContent, CallOutcome, Direction};
use switchboard_domain::contacts::{PropertyDefinition, PropertyType};
use switchboard_domain::team::Role;
use switchboard_domain::Status;
use switchboard_domain::{ContactId, LineId, MemberId};

const SEED: u64 = 0x5717_c4b0_a4d5;
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

pub struct DemoLine {
    pub name: &'static str,
    pub number: &'static str,
}

pub struct DemoContact {
    pub name: Option<String>,
    pub number: String,
}

pub struct DemoConversation {
    /// Index into [`Dataset::lines`].
    pub line: usize,
    /// Index into [`Dataset::contacts`].
    pub contact: usize,
    pub status: Status,
    pub unread: bool,
    /// Oldest first.
    pub activities: Vec<NewActivity>,
}

pub struct Dataset {
    pub lines: Vec<DemoLine>,
    pub contacts: Vec<DemoContact>,
    pub conversations: Vec<DemoConversation>,
}

/// Fills an empty database with `conversations` demo conversations; leaves a filled one alone.
/// Returns whether it wrote anything.
pub async fn seed_if_empty(db: &Db, conversations: u32, now: i64) -> Result<bool, DbError> {
    // A quick look first, so that a filled database costs no dataset; the insert looks again.
    if !db::seed::is_empty(db).await? {
        return Ok(false);
    }
    let inserted = db::seed::insert(db, generate(conversations as usize, now)).await?;
    // The demo's contacts are searchable and sorted from the start.
    db::contacts::index_missing(db).await?;
    Ok(inserted)
}

/// The demo's contact properties.
fn demo_properties() -> Vec<PropertyDefinition> {
    let property = |key: &str, name: &str, kind, options: &[&str]| PropertyDefinition {
        key: key.to_owned(),
        name: name.to_owned(),
        kind,
        options: options.iter().map(|o| o.to_string()).collect(),
        position: 0,
    };
    vec![
        property(
            "plan",
            "Plan",
            PropertyType::SingleChoice,
            &["Basic", "Pro", "Enterprise"],
        ),
        property("customer_since", "Customer since", PropertyType::Date, &[]),
        property("account", "Account number", PropertyType::Text, &[]),
        property("website", "Website", PropertyType::Url, &[]),
        property("newsletter", "Newsletter", PropertyType::Boolean, &[]),
        property(
            "lifetime_value",
            "Lifetime value",
            PropertyType::Number,
            &[],
        ),
        property(
            "interests",
            "Interests",
            PropertyType::MultipleChoice,
            &["Delivery", "Installation", "Warranty", "Wholesale"],
        ),
        property("address", "Address", PropertyType::Address, &[]),
    ]
}

const COMPANIES: &[&str] = &[
    "Northwind Traders",
    "Blue Harbor Dental",
    "Maple & Oak Realty",
    "Café Lumière",
    "Brightside Plumbing",
    "Summit Outfitters",
    "Juniper Yoga",
    "Harbor Freight Co-op",
];
const NOTES: &[&str] = &[
    "Prefers texts after 5 pm; never call before 9.",
    "Paid by card last time; asked for an itemised invoice.",
    "Referred by a neighbour. Interested in the annual plan.",
    "Had a billing mix-up in March: be extra clear about totals.",
    "Speaks French with her parents: « Bonjour » goes a long way.",
];

/// Companies, tags, property values and notes on some demo contacts, so that the contact panel
/// and the tag filters show something real; the same every time.
async fn contact_details(db: &Db, team: &[TeamMember]) -> Result<(), DbError> {
    let authors: Vec<MemberId> = team.iter().map(|(id, _)| *id).collect();
    let mut details = Vec::new();
    for contact in 1..=150_i64 {
        if db::contacts::get_card(db, ContactId(contact))
            .await?
            .is_none()
        {
            continue; // an unknown number
        }
        let mut tags = Vec::new();
        for (every, tag) in [
            (5, "VIP"),
            (7, "Wholesale"),
            (4, "Prospect"),
            (11, "Late payer"),
        ] {
            if contact % every == 1 {
                tags.push(tag.to_owned());
            }
        }
        let mut properties = std::collections::BTreeMap::new();
        if contact % 2 == 0 {
            let plan = ["Basic", "Pro", "Enterprise"][(contact / 2 % 3) as usize];
            properties.insert("plan".to_owned(), serde_json::json!(plan));
            properties.insert(
                "customer_since".to_owned(),
                serde_json::json!(format!(
                    "20{:02}-{:02}-15",
                    18 + contact % 7,
                    1 + contact % 12
                )),
            );
            properties.insert("newsletter".to_owned(), serde_json::json!(contact % 3 != 0));
            properties.insert(
                "lifetime_value".to_owned(),
                serde_json::json!(contact * 37 % 5000),
            );
            properties.insert(
                "account".to_owned(),
                serde_json::json!(format!("AC-{:05}", contact * 97)),
            );
        }
        if contact % 6 == 0 {
            properties.insert(
                "interests".to_owned(),
                serde_json::json!(["Delivery", "Warranty"]),
            );
        }
        let company =
            (contact % 3 == 0).then(|| COMPANIES[(contact / 3) as usize % COMPANIES.len()]);
        if let Some(company) = company {
            let slug: String = company
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            properties.insert(
                "website".to_owned(),
                serde_json::json!(format!("https://{slug}.example")),
            );
        }
        let notes = match (contact % 8 == 0, authors.is_empty()) {
            (true, false) => vec![(
                authors[(contact as usize / 8) % authors.len()],
                NOTES[(contact as usize / 8) % NOTES.len()].to_owned(),
            )],
            _ => Vec::new(),
        };
        let draft = db::contacts::Draft {
            company: company.map(|c| Some(c.to_owned())),
            tags: (!tags.is_empty()).then_some(tags),
            properties,
            ..Default::default()
        };
        details.push((ContactId(contact), draft, notes));
    }
    db::contacts::demo_details(db, demo_properties(), details, db::now_ms()).await
}

/// A demo teammate, with a password anyone trying the demo can type.
pub struct DemoTeammate {
    pub name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub role: Role,
    /// Lines (1 Main, 2 Support, 3 Sales) a member sees; owners and admins see all.
    pub lines: &'static [i64],
}

pub const TEAM: [DemoTeammate; 4] = [
    DemoTeammate {
        name: "Sam Rivera",
        email: "sam@switchboard.example",
        password: "sam-switchboard",
        role: Role::Owner,
        lines: &[],
    },
    DemoTeammate {
        name: "Alex Chen",
        email: "alex@switchboard.example",
        password: "alex-switchboard",
        role: Role::Admin,
        lines: &[],
    },
    DemoTeammate {
        name: "Jordan Lee",
        email: "jordan@switchboard.example",
        password: "jordan-switchboard",
        role: Role::Member,
        lines: &[2],
    },
    DemoTeammate {
        name: "Riley Park",
        email: "riley@switchboard.example",
        password: "riley-switchboard",
        role: Role::Member,
        lines: &[1, 3],
    },
];

/// Creates the demo teammates in a workspace that has none (and shares some conversations out
/// among them); returns one line per demo teammate with their sign-in details.
pub async fn ensure_team(db: &Db) -> Result<Vec<String>, DbError> {
    if !db::members::any(db).await? {
        let mut team = Vec::new();
        for teammate in &TEAM {
            let password = teammate.password;
            let password_hash =
                tokio::task::spawn_blocking(move || crate::auth::hash_password(password)).await?;
            let member = NewMember {
                email: teammate.email.to_owned(),
                name: teammate.name.to_owned(),
                role: teammate.role,
                password_hash,
                lines: teammate.lines.iter().copied().map(LineId).collect(),
            };
            if let Some(id) = db::members::create(db, &member, db::now_ms()).await? {
                let lines = (!teammate.role.sees_every_line())
                    .then(|| teammate.lines.iter().copied().map(LineId).collect());
                team.push((id, lines));
            }
        }
        db::seed::share_out(db, &team).await?;
        contact_details(db, &team).await?;
    }
    let mut lines = Vec::new();
    for teammate in &TEAM {
        if db::members::credentials(db, teammate.email)
            .await?
            .is_some()
        {
            let sees = match teammate.role.sees_every_line() {
                true => "every line".to_owned(),
                false => teammate
                    .lines
                    .iter()
                    .map(|line| LINES[*line as usize - 1].name)
                    .collect::<Vec<_>>()
                    .join(" and "),
            };
            lines.push(format!(
                "Demo teammate: {} <{}> password {} ({}, {sees})",
                teammate.name,
                teammate.email,
                teammate.password,
                teammate.role.as_str()
            ));
        }
    }
    Ok(lines)
}

/// A teammate and the lines they see (`None`: every line).
pub type TeamMember = (MemberId, Option<Vec<LineId>>);

pub const LINES: [DemoLine; 3] = [
    DemoLine {
        name: "Main",
        number: "+15550100100",
    },
    DemoLine {
        name: "Support",
        number: "+15550100200",
    },
    DemoLine {
        name: "Sales",
        number: "+15550100300",
    },
];

/// One step of a scripted exchange. Texts may hold `{first}`, `{agent}`, `{order}`, `{day}` and
/// `{time}`, filled in per conversation.
#[derive(Clone, Copy)]
enum Step {
    In(&'static str),
    Out(&'static str),
    /// An inbound call nobody answered.
    Missed,
    Voicemail(&'static str),
    CallIn(u32),
    CallOut(u32),
}

use Step::*;

const MAIN_SCRIPTS: &[&[Step]] = &[
    &[In("Are you open on Saturday?"), Out("Hi {first}, yes, from 9 to 2 on Saturdays."), In("Thanks!")],
    &[Missed, In("Hi, can you call me back? It's about the estimate you sent.")],
    &[CallIn(184), Out("Thanks for calling, {first}. Here's the address: 220 Harbor Street, 2nd floor.")],
    &[In("Running 10 minutes late for my {time} appointment, sorry!"), Out("No problem, see you soon.")],
    &[Voicemail("Hi, this is {first}. I'd like to move my appointment on {day}. Please call me back at this number, thanks.")],
    &[In("Do you have parking near the office?"), Out("Yes, there's a free lot behind the building."), In("Great, see you {day}")],
    &[In("Who should I talk to about the job opening?"), Out("Hi {first}, please send your resume to jobs@example.com and {agent} will be in touch.")],
    &[Out("Reminder: your appointment is {day} at {time}. Reply C to confirm."), In("C")],
    &[CallOut(45), In("Sorry I missed you, what's up?")],
    &[In("Thanks for the great service yesterday!"), Out("Thank you {first}, that means a lot to us!")],
    &[Missed, Voicemail("Hey, it's {first}. Quick question about your opening hours over the holidays. Call me back when you get a chance.")],
    &[In("Can I pay the balance by card over the phone?"), CallOut(236), Out("Payment received, thank you {first}. Your receipt is on its way by email.")],
];

const SUPPORT_SCRIPTS: &[&[Step]] = &[
    &[In("Hi, my order {order} still hasn't arrived. It's been over a week."), Out("Hi {first}, sorry about that! Let me look into it right now."), Out("The carrier scanned it yesterday at the regional hub. It should reach you by {day}."), In("Ok thanks for checking")],
    &[Missed, Voicemail("Hi, this is {first}. I can't log into my account, it keeps saying my password is wrong. Can you call me back?"), CallOut(312), Out("Glad we got that sorted, {first}. Let us know if the reset link gives you any trouble.")],
    &[In("The replacement part you sent is the wrong size"), Out("So sorry {first}! Can you send a photo of the label on the box?"), In("Sure, just sent it"), Out("Thanks, that's our mistake. A new one ships today, no need to return the other one."), In("Great, appreciate it")],
    &[CallIn(640), Out("Hi {first}, as promised here's the setup guide: https://help.example.com/setup"), In("Got it, thanks {agent}!")],
    &[In("Is there a way to change the delivery address on order {order}?"), Out("Yes! What's the new address?"), In("14 Birch Lane, Apt 3"), Out("Done: order {order} now ships to 14 Birch Lane, Apt 3.")],
    &[In("Your app keeps logging me out every few minutes"), Out("Thanks for flagging, {first}. Which phone are you using?"), In("iPhone 15, latest update")],
    &[Missed, In("Tried calling, please call me back about my refund for {order}")],
    &[In("Can I get a copy of my last invoice?"), Out("Of course, I've just emailed it to the address on file."), In("Received, thank you")],
    &[Voicemail("Hi, it's {first}. The technician didn't show up this morning for the {time} appointment. Please call me back."), CallOut(198), Out("Confirmed: the technician will be there {day} at {time}. Sorry again for the trouble.")],
    &[In("Hello, I was charged twice this month"), Out("I'm sorry about that, {first}. I can see the duplicate charge and I've refunded it; it takes 3 to 5 business days."), In("Perfect, thank you!")],
    &[In("The screen on my unit went black and won't turn back on"), Out("Hi {first}, could you hold the power button for 15 seconds and tell me what you see?"), In("Still nothing"), Out("Thanks for trying. I'm sending a prepaid label so we can repair it under warranty."), In("Ok, how long does the repair usually take?")],
    &[CallIn(455), Missed, In("Hi {agent}, we got cut off. The error code is E-204.")],
];

const SALES_SCRIPTS: &[&[Step]] = &[
    &[In("Hi, do you offer discounts for teams of 20 or more?"), Out("Hi {first}! Yes, we have volume pricing from 10 seats. Would a quick call {day} work?"), In("{day} at {time} works"), Out("Booked! Talk then.")],
    &[CallIn(1260), Out("Great speaking with you, {first}. The quote is in your inbox; it's valid for 30 days."), In("Thanks, I'll review it with my manager")],
    &[In("Saw your ad, what's the price of the Pro plan?"), Out("Hi {first}, Pro is $29 per user per month, billed annually. Want me to set up a trial?"), In("Yes please")],
    &[Missed, Voicemail("Hi, {first} here from Harbor Dental. We're looking at switching phone systems for our three offices, give me a call when you can.")],
    &[Out("Hi {first}, following up on the demo last week. Any questions I can help with?"), In("Not yet, we're still comparing options"), Out("No problem, I'll check back next week.")],
    &[In("Can we add two more seats to our contract?"), Out("Absolutely. I'll send an updated agreement to sign today."), In("Signed and sent back")],
    &[Out("Hi {first}, your trial ends on {day}. Would you like to continue on the Pro plan?"), In("Yes, let's do it. Can you send the invoice to our accounts team?")],
    &[In("Is your service HIPAA compliant?"), Out("Yes, we sign a BAA on the Business plan. I can send the details."), In("Please do")],
    &[CallOut(95), Voicemail("Hi, returning your call about the proposal. I'm free {day} after {time}."), Out("Thanks {first}, I'll call you {day} at {time}.")],
    &[In("What's the difference between the Standard and Business plans?"), Out("Business adds call recording, analytics and priority support. Happy to walk you through it."), In("Let's talk {day}")],
];

const FIRST_NAMES: &[&str] = &[
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Sophia", "Mateo", "Isabella", "Ethan",
    "Mia", "Amir", "Chloé", "James", "Priya", "Hugo", "Grace", "Daniel", "Aisha", "Leo", "Harper",
    "Wei", "Zoe", "Samuel", "Nora", "Diego", "Layla", "Owen", "Fatima", "Gabriel", "Elena",
    "Kenji", "Maya", "Jonah", "Sofia", "Malik", "Clara", "Ryan", "Léa", "Omar", "Hannah", "Marco",
    "Yuki", "Caleb", "Ines", "Tomás", "Ruby", "Arjun", "Julia", "Felix",
];

const LAST_NAMES: &[&str] = &[
    "Martin", "Nguyen", "Garcia", "Smith", "Johnson", "Kim", "Patel", "Brown", "Rossi", "Dubois",
    "Williams", "Lopez", "Chen", "Okafor", "Müller", "Anderson", "Silva", "Tanaka", "Cohen",
    "Walker", "Moreau", "Haddad", "Kowalski", "Murphy", "Reyes", "Schmidt", "Singh", "Baker",
    "Larsen", "Ortiz", "Bernard", "Ali", "Novak", "Campbell", "Fischer", "Romero", "Sato", "Evans",
    "Laurent", "Hughes",
];

const AREA_CODES: &[&str] = &[
    "212", "312", "415", "617", "206", "303", "512", "404", "305", "702", "503", "619", "213",
    "646", "718", "773", "469", "214", "602", "615",
];

const AGENTS: &[&str] = &["Sam", "Alex", "Jordan", "Riley", "Morgan"];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const TIMES: &[&str] = &["9:30", "10:00", "11:15", "1:00", "2:30", "4:00"];

/// The demo dataset for `conversations` conversations, its newest activity shortly before `now`.
pub fn generate(conversations: usize, now: i64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    // Two conversations per contact at most (on different lines), so each (line, contact) pair
    // holds one conversation.
    let contact_count = conversations.div_ceil(2).max(150);
    let contacts = (0..contact_count).map(|i| contact(&mut rng, i)).collect();
    let conversations = (0..conversations)
        .map(|k| {
            let contact = k % contact_count;
            let pass = k / contact_count;
            let line = (contact * 7 + pass) % LINES.len();
            conversation(&mut rng, line, contact, now)
        })
        .collect();
    Dataset {
        lines: LINES.into_iter().collect(),
        contacts,
        conversations,
    }
}

fn contact(rng: &mut ChaCha8Rng, index: usize) -> DemoContact {
    // Numbers 555-0100 to 555-0199 are reserved for fiction; past them the exchange moves on.
    let area = AREA_CODES[index / 100 % AREA_CODES.len()];
    let exchange = 555 + index / (100 * AREA_CODES.len());
    let number = format!("+1{area}{exchange}0{:03}", 100 + index % 100);
    let name = (!rng.random_bool(0.08)).then(|| {
        format!(
            "{} {}",
            FIRST_NAMES.choose(rng).expect("names"),
            LAST_NAMES.choose(rng).expect("names")
        )
    });
    DemoContact { name, number }
}

fn conversation(rng: &mut ChaCha8Rng, line: usize, contact: usize, now: i64) -> DemoConversation {
    let scripts = match line {
        0 => MAIN_SCRIPTS,
        1 => SUPPORT_SCRIPTS,
        _ => SALES_SCRIPTS,
    };
    let mut steps: Vec<Step> = scripts.choose(rng).expect("scripts").to_vec();
    // A realistic mix: a fifth unread, a third open and read, the rest done.
    let roll: f64 = rng.random();
    let (status, unread) = if roll < 0.2 {
        (Status::Open, true)
    } else if roll < 0.5 {
        (Status::Open, false)
    } else {
        (Status::Done, false)
    };
    if unread {
        // Unread means the customer spoke last.
        let last_inbound = steps.iter().rposition(|step| is_inbound(*step));
        steps.truncate(last_inbound.map_or(steps.len(), |i| i + 1));
    }
    // Unread ones are recent; done ones spread over the whole month.
    let age = match (status, unread) {
        (_, true) => rng.random_range(2 * MINUTE..3 * DAY),
        (Status::Open, _) => rng.random_range(10 * MINUTE..12 * DAY),
        (Status::Done, _) => rng.random_range(HOUR..29 * DAY),
    };
    let fill = Fill {
        first: FIRST_NAMES.choose(rng).expect("names"),
        agent: AGENTS.choose(rng).expect("agents"),
        order: format!("#{}", rng.random_range(1000..10000)),
        day: DAYS.choose(rng).expect("days"),
        time: TIMES.choose(rng).expect("times"),
    };
    let mut at = now - age;
    let mut activities: Vec<NewActivity> = Vec::with_capacity(steps.len());
    for step in steps.iter().rev() {
        activities.push(activity(rng, *step, at, &fill));
        at -= rng.random_range(MINUTE..45 * MINUTE);
    }
    activities.reverse();
    DemoConversation {
        line,
        contact,
        status,
        unread,
        activities,
    }
}

fn is_inbound(step: Step) -> bool {
    matches!(step, In(_) | Missed | Voicemail(_) | CallIn(_))
}

struct Fill<'a> {
    first: &'a str,
    agent: &'a str,
    order: String,
    day: &'a str,
    time: &'a str,
}

impl Fill<'_> {
    fn apply(&self, text: &str) -> String {
        text.replace("{first}", self.first)
            .replace("{agent}", self.agent)
            .replace("{order}", &self.order)
            .replace("{day}", self.day)
            .replace("{time}", self.time)
    }
}

fn activity(rng: &mut ChaCha8Rng, step: Step, at: i64, fill: &Fill) -> NewActivity {
    let (direction, content) = match step {
        In(text) => (
            Direction::Inbound,
            ActivityContent::Message {
                text: fill.apply(text),
            },
        ),
        Out(text) => (
            Direction::Outbound,
            ActivityContent::Message {
                text: fill.apply(text),
            },
        ),
        Missed => (
            Direction::Inbound,
            ActivityContent::Call {
                outcome: CallOutcome::Missed,
                duration_seconds: 0,
            },
        ),
        Voicemail(transcript) => (
            Direction::Inbound,
            ActivityContent::Voicemail {
                duration_seconds: rng.random_range(8..55),
                transcript: Some(fill.apply(transcript)),
            },
        ),
        CallIn(seconds) | CallOut(seconds) => (
            if matches!(step, CallIn(_)) {
                Direction::Inbound
            } else {
                Direction::Outbound
            },
            ActivityContent::Call {
                outcome: CallOutcome::Answered,
                duration_seconds: seconds + rng.random_range(0..30),
            },
        ),
    };
    NewActivity {
        direction,
        content,
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const NOW: i64 = 1_795_000_000_000;

    fn fingerprint(dataset: &Dataset) -> Vec<String> {
        dataset
            .conversations
            .iter()
            .map(|c| {
                let texts: Vec<String> = c
                    .activities
                    .iter()
                    .map(|a| format!("{:?}@{}", a.content, a.at))
                    .collect();
                format!(
                    "{} {} {:?} {} {texts:?}",
                    c.line, c.contact, c.status, c.unread
                )
            })
            .collect()
    }

    #[test]
    fn the_same_size_gives_the_same_data() {
        assert_eq!(
            fingerprint(&generate(300, NOW)),
            fingerprint(&generate(300, NOW))
        );
    }

    #[test]
    fn the_default_demo_has_three_lines_150_contacts_and_a_realistic_mix() {
        let data = generate(300, NOW);
        assert_eq!(data.lines.len(), 3);
        assert_eq!(data.contacts.len(), 150);
        assert_eq!(data.conversations.len(), 300);
        let unread = data.conversations.iter().filter(|c| c.unread).count();
        let done = data
            .conversations
            .iter()
            .filter(|c| c.status == Status::Done)
            .count();
        assert!((40..=80).contains(&unread), "{unread} unread");
        assert!((110..=190).contains(&done), "{done} done");
        for line in 0..3 {
            assert!(data.conversations.iter().filter(|c| c.line == line).count() > 60);
        }
    }

    #[test]
    fn every_kind_of_activity_appears() {
        let data = generate(300, NOW);
        let all: Vec<&NewActivity> = data
            .conversations
            .iter()
            .flat_map(|c| &c.activities)
            .collect();
        let has = |f: &dyn Fn(&NewActivity) -> bool| all.iter().any(|a| f(a));
        assert!(has(&|a| matches!(
            a.content,
            ActivityContent::Message { .. }
        ) && a.direction == Direction::Inbound));
        assert!(has(&|a| matches!(
            a.content,
            ActivityContent::Message { .. }
        ) && a.direction == Direction::Outbound));
        assert!(has(&|a| matches!(
            a.content,
            ActivityContent::Call {
                outcome: CallOutcome::Missed,
                ..
            }
        )));
        assert!(has(&|a| matches!(
            a.content,
            ActivityContent::Call {
                outcome: CallOutcome::Answered,
                ..
            }
        )));
        assert!(has(&|a| matches!(
            a.content,
            ActivityContent::Voicemail {
                transcript: Some(_),
                ..
            }
        )));
        assert!(all.iter().all(|a| match &a.content {
            ActivityContent::Message { text } => !text.contains('{'),
            _ => true,
        }));
    }

    #[test]
    fn activity_is_within_the_last_30_days_and_in_order() {
        for conversation in generate(300, NOW).conversations {
            let times: Vec<i64> = conversation.activities.iter().map(|a| a.at).collect();
            assert!(times.windows(2).all(|w| w[0] < w[1]));
            assert!(times[0] > NOW - 30 * DAY && *times.last().unwrap() < NOW);
        }
    }

    #[test]
    fn an_unread_conversation_ends_with_the_customer() {
        for conversation in generate(300, NOW).conversations.iter().filter(|c| c.unread) {
            assert_eq!(
                conversation.activities.last().unwrap().direction,
                Direction::Inbound
            );
        }
    }

    #[test]
    fn a_large_demo_keeps_one_conversation_per_line_and_contact_and_unique_numbers() {
        let data = generate(10_000, NOW);
        let pairs: HashSet<(usize, usize)> = data
            .conversations
            .iter()
            .map(|c| (c.line, c.contact))
            .collect();
        assert_eq!(pairs.len(), 10_000);
        let numbers: HashSet<&str> = data.contacts.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(numbers.len(), data.contacts.len());
    }
}
