//! `switchboard user …`: the team administration of the web app, from the command line, on the
//! database file (a running server sees the changes: its event streams check their sessions
//! every few seconds). `switchboard line …`: the lines and the Quo numbers they send from.
//! `switchboard migrate` and `switchboard copy`: the database itself.

use crate::auth;
use crate::config::{CopyCommand, Database, LineCommand, LineQuo, NewUser, Teammate, UserCommand};
use crate::db::{self, Db};
use anyhow::{bail, Context};
use std::io::{BufRead, IsTerminal};
use switchboard_domain::team::TeamMemberUpdate;
use switchboard_domain::{LineId, MemberId};

pub async fn user(command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add(user) => add(user).await,
        UserCommand::List(database) => list(database).await,
        UserCommand::Deactivate(who) => set_active(who, false).await,
        UserCommand::Reactivate(who) => set_active(who, true).await,
        UserCommand::ResetPassword(who) => reset_password(who).await,
        UserCommand::Sessions(who) => sessions(who).await,
        UserCommand::EndSessions(who) => end_sessions(who).await,
    }
}

async fn open(database: &Database) -> anyhow::Result<Db> {
    Db::open(&database.database)
        .await
        .with_context(|| format!("cannot open the database {}", database.database))
}

async fn find(db: &Db, email: &str) -> anyhow::Result<MemberId> {
    db::team::by_email(db, email)
        .await?
        .with_context(|| format!("{email} is no teammate"))
}

/// A password from the terminal without echo, or a line of standard input from a script.
fn read_password(prompt: &str) -> anyhow::Result<String> {
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt)?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    auth::check_new_password(&password).map_err(anyhow::Error::msg)?;
    Ok(password)
}

async fn hash(password: String) -> anyhow::Result<String> {
    Ok(tokio::task::spawn_blocking(move || auth::hash_password(&password)).await?)
}

async fn add(user: NewUser) -> anyhow::Result<()> {
    let email = auth::teammate_email(&user.email).map_err(anyhow::Error::msg)?;
    let password = match user.password {
        Some(password) => password,
        None => read_password(&format!("Password for {email}: "))?,
    };
    auth::check_new_password(&password).map_err(anyhow::Error::msg)?;
    let db = open(&Database {
        database: user.database.clone(),
    })
    .await?;
    for line in &user.lines {
        if !db::lines::exists(&db, LineId(*line)).await? {
            bail!("there is no line {line}");
        }
    }
    let member = db::members::NewMember {
        email,
        name: user.name.clone(),
        role: user.role,
        password_hash: hash(password).await?,
        lines: user.lines.iter().copied().map(LineId).collect(),
    };
    match db::members::create(&db, &member, db::now_ms()).await? {
        Some(id) => {
            println!(
                "Added {} <{}>, {} (id {id})",
                user.name,
                user.email,
                user.role.as_str()
            );
            Ok(())
        }
        None => bail!("{} is already a teammate", user.email),
    }
}

async fn list(database: Database) -> anyhow::Result<()> {
    let db = open(&database).await?;
    for member in db::team::list(&db).await? {
        let lines: Vec<String> = member.line_ids.iter().map(ToString::to_string).collect();
        println!(
            "{}\t{} <{}>\t{}\tlines {}\t{}\t{} session(s)",
            member.id,
            member.name,
            member.email,
            member.role.as_str(),
            lines.join(","),
            if member.deactivated {
                "deactivated"
            } else {
                "active"
            },
            member.active_sessions
        );
    }
    Ok(())
}

async fn set_active(who: Teammate, active: bool) -> anyhow::Result<()> {
    let db = open(&who.database).await?;
    let id = find(&db, &who.email).await?;
    let target = db::team::get(&db, id)
        .await?
        .context("the teammate vanished")?;
    if !active
        && target.role == switchboard_domain::team::Role::Owner
        && db::team::active_owners(&db).await? <= 1
    {
        bail!("{} is the last active owner: the team keeps one", who.email);
    }
    let update = TeamMemberUpdate {
        deactivated: Some(!active),
        ..TeamMemberUpdate::default()
    };
    db::team::update(&db, id, update, db::now_ms()).await?;
    match active {
        true => println!("{} can sign in again", who.email),
        false => println!(
            "Deactivated {}: every session of theirs has ended",
            who.email
        ),
    }
    Ok(())
}

async fn reset_password(who: Teammate) -> anyhow::Result<()> {
    let password = read_password(&format!("New password for {}: ", who.email))?;
    let db = open(&who.database).await?;
    let id = find(&db, &who.email).await?;
    db::team::set_password(&db, id, hash(password).await?).await?;
    println!(
        "Set the password of {}: every session of theirs has ended",
        who.email
    );
    Ok(())
}

async fn sessions(who: Teammate) -> anyhow::Result<()> {
    let db = open(&who.database).await?;
    let id = find(&db, &who.email).await?;
    for session in db::sessions::of_member(&db, id).await? {
        println!(
            "{}\tstarted {}\tlast used {}\t{}",
            session.id,
            humantime::format_rfc3339_seconds(moment(session.created_at)),
            humantime::format_rfc3339_seconds(moment(session.last_seen_at)),
            session.user_agent.as_deref().unwrap_or("-")
        );
    }
    Ok(())
}

fn moment(ms: i64) -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

async fn end_sessions(who: Teammate) -> anyhow::Result<()> {
    let db = open(&who.database).await?;
    let id = find(&db, &who.email).await?;
    let ended = db::sessions::end_all(&db, id).await?;
    println!("Ended {ended} session(s) of {}", who.email);
    Ok(())
}

pub async fn line(command: LineCommand) -> anyhow::Result<()> {
    match command {
        LineCommand::List(database) => {
            let db = open(&database).await?;
            for line in db::lines::settings(&db).await? {
                println!(
                    "{}\t{}\t{}\tsends from {}",
                    line.id,
                    line.name,
                    line.number,
                    line.quo_number.as_deref().unwrap_or(&line.number)
                );
            }
            Ok(())
        }
        LineCommand::SetQuo(LineQuo {
            database,
            line,
            quo,
        }) => {
            let quo = quo.trim();
            let quo = match quo {
                "none" => None,
                id if id.starts_with("PN")
                    && id[2..].chars().all(|c| c.is_ascii_alphanumeric()) =>
                {
                    Some(id.to_owned())
                }
                number if is_e164(number) => Some(number.to_owned()),
                other => bail!("{other:?} is neither a Quo number id (PN…) nor an E.164 number"),
            };
            let db = open(&database).await?;
            if !db::lines::set_quo_number(&db, LineId(line), quo.clone()).await? {
                bail!("there is no line {line}");
            }
            match quo {
                Some(quo) => println!("Line {line} sends from {quo}"),
                None => println!("Line {line} sends from its own number"),
            }
            Ok(())
        }
    }
}

/// `+` and 8 to 15 digits.
fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
    })
}

pub async fn migrate(database: Database) -> anyhow::Result<()> {
    // Opening a database brings its schema up to date.
    open(&database).await?;
    println!("The database {} is up to date", database.database);
    Ok(())
}

pub async fn copy(command: CopyCommand) -> anyhow::Result<()> {
    let to = match db::Location::parse(&command.to) {
        db::Location::Postgres(url) => url,
        db::Location::Sqlite(_) => bail!("--to takes a postgres:// URL, not {:?}", command.to),
    };
    if !command.from.is_file() {
        bail!(
            "--from: there is no SQLite database at {}",
            command.from.display()
        );
    }
    let from = db::sqlite::Sqlite::open(&command.from)
        .await
        .with_context(|| format!("cannot open {}", command.from.display()))?;
    let to_shown = db::postgres::without_password(&to);
    let to = db::postgres::Postgres::open(&to)
        .await
        .with_context(|| format!("cannot open {to_shown}"))?;
    let copied = db::copy::sqlite_to_postgres(&from, &to)
        .await
        .with_context(|| format!("cannot copy {} into {to_shown}", command.from.display()))?;
    for (table, rows) in &copied.tables {
        println!("{table}\t{rows}");
    }
    let total: u64 = copied.tables.iter().map(|(_, rows)| rows).sum();
    println!(
        "Copied {total} rows from {} into {to_shown}",
        command.from.display()
    );
    Ok(())
}
