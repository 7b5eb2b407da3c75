//! Contacts at scale, run by `scripts/bench` section 9:
//!
//! - `contacts-csv N`: a CSV file of N contacts as a spreadsheet would hold them (names,
//!   company, a number, an email, tags), the same every time, on stdout.
//! - `contacts-baseline FILE`: the floor an import stands beside: the file read by the server's
//!   own CSV reader, then its rows inserted by rusqlite alone into three bare tables (contact,
//!   number, email) in one transaction. Prints both times.

use std::time::Instant;
use switchboard_server::contact_csv::{self, ImportOptions};

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chloé", "David", "Emma", "Farid", "Grace", "Hugo", "Inès", "Jamal", "Kenji",
    "Léa", "Mateo", "Nora", "Omar", "Priya", "Quentin", "Rosa", "Sami", "Tessa",
];
const LAST: &[&str] = &[
    "Bell", "Dubois", "García", "Haddad", "Ivanov", "Jensen", "Kim", "Lopez", "Martin", "Nguyen",
    "O'Neil", "Petit", "Quinn", "Rossi", "Smith", "Tanaka", "Urban", "Vidal", "Walker", "Young",
];

pub fn csv(args: &[String]) {
    let [count] = args else {
        panic!("usage: contacts-csv N");
    };
    let count: usize = count.parse().expect("a number of contacts");
    let mut out = String::with_capacity(count * 100);
    out.push_str("First name,Last name,Company,Phone,Email,Tags\n");
    for i in 0..count {
        let (first, last) = (FIRST[i % FIRST.len()], LAST[i / FIRST.len() % LAST.len()]);
        let tags = match i % 10 {
            0 => "\"VIP, Wholesale\"",
            1..=3 => "Prospect",
            _ => "",
        };
        out.push_str(&format!(
            "{first},{last},Company {},+1 646 {:03} {:04},{}.{}{i}@example.com,{tags}\n",
            i % 1000,
            200 + i / 10_000,
            i % 10_000,
            first.to_lowercase(),
            last.to_lowercase().replace('\'', ""),
        ));
    }
    print!("{out}");
}

pub fn baseline(args: &[String]) {
    let [file] = args else {
        panic!("usage: contacts-baseline FILE");
    };
    let bytes = std::fs::read(file).expect("the file");
    let started = Instant::now();
    let parsed = contact_csv::read(&bytes, &[], &ImportOptions::default()).expect("a CSV file");
    let read = started.elapsed();
    let dir = std::env::temp_dir().join(format!("switchboard-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let mut connection = rusqlite::Connection::open(dir.join("raw.db")).expect("a database");
    connection
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
             CREATE TABLE contact (id INTEGER PRIMARY KEY, first TEXT, last TEXT, company TEXT);
             CREATE TABLE number (number TEXT PRIMARY KEY, contact_id INTEGER);
             CREATE TABLE email (contact_id INTEGER, address TEXT);",
        )
        .expect("tables");
    let started = Instant::now();
    let tx = connection.transaction().expect("a transaction");
    {
        let mut contact = tx
            .prepare("INSERT INTO contact (first, last, company) VALUES (?1, ?2, ?3)")
            .unwrap();
        let mut number = tx
            .prepare("INSERT INTO number (number, contact_id) VALUES (?1, ?2)")
            .unwrap();
        let mut email = tx
            .prepare("INSERT INTO email (contact_id, address) VALUES (?1, ?2)")
            .unwrap();
        for row in &parsed.rows {
            let c = &row.contact;
            contact
                .execute(rusqlite::params![c.first_name, c.last_name, c.company])
                .unwrap();
            let id = tx.last_insert_rowid();
            for phone in c.phones.iter().flatten() {
                number.execute(rusqlite::params![phone.number, id]).unwrap();
            }
            for address in c.emails.iter().flatten() {
                email
                    .execute(rusqlite::params![id, address.address])
                    .unwrap();
            }
        }
    }
    tx.commit().expect("commit");
    let inserted = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "{} rows: read by the CSV reader in {:.2} s, inserted by rusqlite alone in {:.2} s",
        parsed.rows.len(),
        read.as_secs_f64(),
        inserted.as_secs_f64()
    );
    println!(
        "baseline_seconds {:.3}",
        read.as_secs_f64() + inserted.as_secs_f64()
    );
}
