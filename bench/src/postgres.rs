//! PostgreSQL at scale, run by `scripts/bench` section 8:
//!
//! - `fill CLUSTER_URL|FILE CONVERSATIONS PER_CONVERSATION`: a new database `bench` on the
//!   PostgreSQL cluster, or a new SQLite file, migrated and filled in the database itself
//!   (`db::bulk`); prints how long it took (stderr) and the database as `--database` takes it
//!   (stdout).
//! - `crossover URL_ONE URL_TWO`: two servers on one database; for each of 200 state changes
//!   made on the first, the time from its request to its event on an event stream of the second,
//!   beside the same on a stream of the first (the same event, the same run), and the change's
//!   own answer. Prints p50/p99.

use crate::fanout::{each_event, signed_in_at};
use serde_json::json;
use std::time::{Duration, Instant};
use switchboard_domain::api::ConversationPage;
use switchboard_server::db::{self, Db, Location};
use tokio::sync::mpsc;

const CHANGES: usize = 200;

pub async fn fill(args: &[String]) {
    let [database, conversations, per] = args else {
        panic!("usage: fill CLUSTER_URL|FILE CONVERSATIONS PER_CONVERSATION");
    };
    let conversations: i64 = conversations.parse().expect("a number of conversations");
    let per: i64 = per
        .parse()
        .expect("a number of activities per conversation");
    let url = match Location::parse(database) {
        Location::Postgres(cluster) => {
            let cluster = url::Url::parse(&cluster).expect("a postgres:// URL");
            switchboard_testkit::create_database(&cluster, "bench").await
        }
        Location::Sqlite(_) => database.clone(),
    };
    let started = Instant::now();
    let db = Db::open(Location::parse(&url)).await.expect("open");
    db::bulk::fill(&db, conversations, per, db::now_ms())
        .await
        .expect("fill");
    // The figure for people on stderr; stdout is the database alone, for the script to take.
    eprintln!(
        "  filled: {conversations} conversations, {} activities, in {:.0} s",
        conversations * per,
        started.elapsed().as_secs_f64()
    );
    println!("{url}");
}

/// Opens an event stream at `url`; each conversation event's id and arrival go to `arrivals`.
async fn listen(url: String, tag: usize, arrivals: mpsc::UnboundedSender<(usize, i64, Instant)>) {
    let client = signed_in_at(&url).await;
    let response = client
        .get(format!("{url}/api/v1/events"))
        .send()
        .await
        .expect("open a stream");
    assert!(response.status().is_success());
    tokio::spawn(each_event(response, move |event, now| {
        if let Some(id) = event["conversation"]["conversation"]["id"].as_i64() {
            let _ = arrivals.send((tag, id, now));
        }
    }));
}

pub async fn crossover(args: &[String]) {
    let [one, two] = args else {
        panic!("usage: crossover URL_ONE URL_TWO");
    };
    let (arrivals, mut arrived) = mpsc::unbounded_channel();
    listen(one.clone(), 1, arrivals.clone()).await;
    listen(two.clone(), 2, arrivals).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let client = signed_in_at(one).await;
    let page: ConversationPage = client
        .get(format!(
            "{one}/api/v1/conversations?view=open&limit={CHANGES}"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (mut same, mut other, mut answers) = (Vec::new(), Vec::new(), Vec::new());
    for conversation in &page.conversations {
        let change = if conversation.unread {
            "read"
        } else {
            "unread"
        };
        let body = json!({"change": change, "seen_activity_id": conversation.latest_activity.id});
        let asked = Instant::now();
        let response = client
            .post(format!(
                "{one}/api/v1/conversations/{}/state",
                conversation.id
            ))
            .json(&body)
            .send()
            .await
            .unwrap();
        let answered = Instant::now();
        answers.push(answered.duration_since(asked).as_secs_f64() * 1000.0);
        assert!(response.status().is_success());
        let (mut on_one, mut on_two) = (None, None);
        let deadline = answered + Duration::from_secs(10);
        while on_one.is_none() || on_two.is_none() {
            let wait = deadline.saturating_duration_since(Instant::now());
            let (tag, id, at) = tokio::time::timeout(wait, arrived.recv())
                .await
                .expect("both streams get the event")
                .expect("streams open");
            if id == conversation.id.0 {
                let ms = at.saturating_duration_since(asked).as_secs_f64() * 1000.0;
                match tag {
                    1 => on_one.get_or_insert(ms),
                    _ => on_two.get_or_insert(ms),
                };
            }
        }
        same.extend(on_one);
        other.extend(on_two);
    }
    let percentile = |values: &mut Vec<f64>, q: f64| {
        values.sort_by(f64::total_cmp);
        values[((values.len() - 1) as f64 * q) as usize]
    };
    let (other50, other99) = (percentile(&mut other, 0.5), percentile(&mut other, 0.99));
    let (same50, same99) = (percentile(&mut same, 0.5), percentile(&mut same, 0.99));
    let (answer50, answer99) = (
        percentile(&mut answers, 0.5),
        percentile(&mut answers, 0.99),
    );
    println!(
        "  a change on server 1 → an event stream on server 2 ({} changes, from the change's request): \
         p50 {other50:.1} ms, p99 {other99:.1} ms",
        other.len()
    );
    println!(
        "  baseline, the same events on a stream of server 1: p50 {same50:.1} ms, p99 {same99:.1} ms \
         (other server / same server at p99: {:.2}×); the change's own answer: p50 {answer50:.1} ms, \
         p99 {answer99:.1} ms",
        other99 / same99
    );
}
