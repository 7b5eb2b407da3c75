//! Contacts in and out of spreadsheets: reading the CSV files that Excel, Numbers, LibreOffice
//! and Google Sheets write (any of their encodings and separators, English or French headers),
//! and writing files they open with accents intact. Pure: the database is the caller's.
//!
//! Cells hold lists the same way both ways, so that an export imports back unchanged:
//! `label: value` items separated by `,` `;` or line breaks for numbers and emails, names
//! separated by `,` or `;` for tags and multiple choices.

use crate::phone_numbers;
use phonenumber::country::Id;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use switchboard_domain::contacts::{
    is_email, name_field, tag_name, validate_property_value, ContactCard, ContactEmail,
    ContactInput, ContactPhone, ImportColumn, ImportField, PropertyDefinition, RejectedRow, Tag,
    MAX_FIELD_CHARS, MAX_PER_CONTACT,
};
use switchboard_domain::ids::TagId;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How to read a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The country of national numbers ("06 12 34 56 78"); without it they are refused.
    pub default_country: Option<Id>,
    /// Header → field (`None`: ignore the column); headers not named keep the automatic
    /// mapping.
    pub mapping: Option<BTreeMap<String, Option<ImportField>>>,
}

/// A row that can be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The line of the file where the row starts (the header's is 1, or 2 after a `sep=`
    /// line).
    pub line: u64,
    /// The row's cells as written, one per header column.
    pub values: Vec<String>,
    pub contact: ContactInput,
}

/// A file read: what each column holds, the rows to import and those refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedImport {
    pub header: Vec<String>,
    pub columns: Vec<ImportColumn>,
    pub rows: Vec<ImportRow>,
    pub rejected: Vec<RejectedRow>,
}

/// Why a whole file was refused (a refused row is a [`RejectedRow`] instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// Not a text file, with what it seems to be instead.
    NotCsv(String),
    Empty,
    /// No column holds names, companies, numbers or emails; the headers found, quoted.
    NoUsableColumn(String),
    /// The mapping names a property the workspace does not have.
    BadMapping(String),
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::NotCsv(what) => write!(
                f,
                "this is not a CSV file: {what}. Save the contacts from the spreadsheet as CSV \
                 and import that file"
            ),
            CsvError::Empty => f.write_str(
                "the file is empty: it needs a first line naming the columns (First name, \
                 Last name, Phone…) and a line per contact",
            ),
            CsvError::NoUsableColumn(headers) if headers.is_empty() => f.write_str(
                "the first line of the file names no columns: it should name them (First \
                 name, Last name, Company, Phone, Email…)",
            ),
            CsvError::NoUsableColumn(headers) => write!(
                f,
                "no column holds a name, a company, a phone number or an email (the columns \
                 are {headers}): name them First name, Last name, Company, Phone or Email, or \
                 choose what each column holds"
            ),
            CsvError::BadMapping(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for CsvError {}

/// Reads a contacts file: every row becomes a contact or a refusal with its reason.
pub fn read(
    bytes: &[u8],
    properties: &[PropertyDefinition],
    options: &ImportOptions,
) -> Result<ParsedImport, CsvError> {
    let mut text = decode(bytes)?;
    // Old Mac files end lines with CR alone; lines are counted by their LF.
    if text.contains('\r') && !text.contains('\n') {
        text = Cow::Owned(text.replace('\r', "\n"));
    }
    let (separator, body, line_offset) = separator(&text);
    if body.trim().is_empty() {
        return Err(CsvError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record).map_err(not_csv)? {
        return Err(CsvError::Empty);
    }
    let header: Vec<String> = record.iter().map(|h| h.trim().to_owned()).collect();
    let (plan, columns) = Plan::new(&header, properties, options)?;

    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    // Each number once per file: two rows with one number would be one contact twice.
    // Keyed by the number's digits: no string to copy or hash for each of them.
    let mut numbers: HashMap<u64, u64> = HashMap::new();
    let mut reasons = Vec::new();
    let mut lines = Lines::new(body.as_bytes(), line_offset);
    while reader.read_record(&mut record).map_err(not_csv)? {
        if record.iter().all(|value| value.trim().is_empty()) {
            continue;
        }
        let line = lines.at(record.position().map_or(0, |p| p.byte()));
        reasons.clear();
        let extra = record
            .iter()
            .skip(header.len())
            .filter(|v| !v.trim().is_empty())
            .count();
        if extra > 0 {
            reasons.push(format!(
                "the line has {} values but the header names {} columns",
                record.len(),
                header.len()
            ));
        }
        let contact = plan.contact(&record, &mut reasons);
        if reasons.is_empty() {
            if let Some(phones) = &contact.phones {
                if let Some((number, first)) = phones
                    .iter()
                    .find_map(|p| numbers.get(&key(&p.number)).map(|line| (&p.number, *line)))
                {
                    reasons.push(format!(
                        "the number {number} is already on line {first} of this file"
                    ));
                }
            }
        }
        if reasons.is_empty() {
            for phone in contact.phones.iter().flatten() {
                numbers.insert(key(&phone.number), line);
            }
            let mut values = Vec::with_capacity(header.len());
            values.extend(record.iter().take(header.len()).map(str::to_owned));
            values.resize(header.len(), String::new());
            rows.push(ImportRow {
                line,
                values,
                contact,
            });
        } else {
            let width = if extra > 0 {
                record.len()
            } else {
                header.len()
            };
            let mut values: Vec<String> = record.iter().take(width).map(str::to_owned).collect();
            values.resize(width, String::new());
            rejected.push(RejectedRow {
                line,
                reason: reasons.join("; "),
                values,
            });
        }
    }
    Ok(ParsedImport {
        header,
        columns,
        rows,
        rejected,
    })
}

/// An E.164 number's digits, which fit in a `u64` (15 at most).
fn key(e164: &str) -> u64 {
    e164.bytes()
        .filter(u8::is_ascii_digit)
        .fold(0, |n, b| n * 10 + u64::from(b - b'0'))
}

/// The line where a record starts. The csv crate's own line count is a line short after a
/// CRLF (it counts the LF with the next record) and after blank lines, which it skips: the
/// record starts at the first byte after its position that ends no line.
struct Lines<'t> {
    text: &'t [u8],
    counted: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    fn new(text: &'t [u8], offset: u64) -> Lines<'t> {
        Lines {
            text,
            counted: 0,
            line: 1 + offset,
        }
    }

    /// Positions only grow, so each byte is counted once.
    fn at(&mut self, position: u64) -> u64 {
        let mut start = (position as usize).min(self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let start = start.max(self.counted);
        let newlines = self.text[self.counted..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line += newlines as u64;
        self.counted = start;
        self.line
    }
}

fn not_csv(error: csv::Error) -> CsvError {
    CsvError::NotCsv(error.to_string())
}

/// The text of a file in whatever encoding a spreadsheet saved it.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, CsvError> {
    if let Some(what) = known_binary(bytes) {
        return Err(CsvError::NotCsv(what.to_owned()));
    }
    let text = if let Some(rest) = bytes.strip_prefix(BOM) {
        match std::str::from_utf8(rest) {
            Ok(text) => Cow::Borrowed(text),
            Err(error) => {
                let line = 1 + rest[..error.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                return Err(CsvError::NotCsv(format!(
                    "it says it is UTF-8 but line {line} is not"
                )));
            }
        }
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(encoding_rs::UTF_16LE, rest)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(encoding_rs::UTF_16BE, rest)?
    } else if bytes.contains(&0) {
        return Err(CsvError::NotCsv(
            "it holds NUL bytes, which text does not (or it is UTF-16 without the mark that \
             says so)"
                .to_owned(),
        ));
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            // Excel on Windows saves "CSV" in the system's code page, Windows-1252 in the West.
            Err(_) => {
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
            }
        }
    };
    if looks_binary(&text) {
        return Err(CsvError::NotCsv(
            "it holds control characters, which text does not".to_owned(),
        ));
    }
    Ok(text)
}

fn utf16(
    encoding: &'static encoding_rs::Encoding,
    bytes: &[u8],
) -> Result<Cow<'static, str>, CsvError> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| Cow::Owned(text.into_owned()))
        .ok_or_else(|| CsvError::NotCsv("it says it is UTF-16 but is not".to_owned()))
}

/// Files people pick by mistake, to say what they are.
fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    const KINDS: [(&[u8], &str); 7] = [
        (
            b"PK\x03\x04",
            "it is a workbook (.xlsx, .ods) or a .zip archive",
        ),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "it is an old Excel workbook (.xls)",
        ),
        (b"%PDF", "it is a PDF document"),
        (b"\x89PNG", "it is an image"),
        (b"\xFF\xD8\xFF", "it is an image"),
        (b"GIF8", "it is an image"),
        (b"{\\rtf", "it is a rich text document"),
    ];
    KINDS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| *what)
}

/// Whether `text` holds what no spreadsheet writes: NUL, or control characters beyond a
/// stray few (some programs write vertical tabs for line breaks in cells).
fn looks_binary(text: &str) -> bool {
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in text.chars() {
        chars += 1;
        if c == '\0' {
            return true;
        }
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0b' | '\x0c')) || c == '\u{fffd}'
        {
            controls += 1;
        }
    }
    controls > 0 && controls * 100 > chars
}

/// The separator, the text after an Excel `sep=;` line if any, and how many lines that took.
fn separator(text: &str) -> (u8, &str, u64) {
    let first = text.lines().next().unwrap_or("");
    if first.len() == 5 && first.is_char_boundary(4) && first[..4].eq_ignore_ascii_case("sep=") {
        let rest = &text[first.len()..];
        let rest = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .unwrap_or(rest);
        return (first.as_bytes()[4], rest, 1);
    }
    (sniff(text), text, 0)
}

/// The most frequent of comma, semicolon and tab on the header line, outside quotes; on a tie
/// the rarer in header names wins.
fn sniff(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b'\t' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = counts.iter().copied().max().unwrap_or(0);
    match counts.iter().position(|&n| n == best && n > 0) {
        Some(0) => b'\t',
        Some(1) => b';',
        _ => b',',
    }
}

/// What a column fills.
#[derive(Debug, Clone, Copy)]
enum Target {
    FirstName,
    LastName,
    FullName,
    Company,
    Role,
    /// With the label of numbers written without one.
    Phone(&'static str),
    Email(&'static str),
    Tags,
    /// By index in the properties.
    Property(usize),
}

/// What every row of a file goes through, worked out once from the header.
struct Plan<'a> {
    header: &'a [String],
    properties: &'a [PropertyDefinition],
    default_country: Option<Id>,
    columns: Vec<(usize, Target)>,
    names: bool,
    company: bool,
    role: bool,
    phones: bool,
    emails: bool,
    tags: bool,
    has_properties: bool,
}

impl<'a> Plan<'a> {
    fn new(
        header: &'a [String],
        properties: &'a [PropertyDefinition],
        options: &ImportOptions,
    ) -> Result<(Plan<'a>, Vec<ImportColumn>), CsvError> {
        let property_names: Vec<(String, String)> = properties
            .iter()
            .map(|p| (compact(&p.name), compact(&p.key)))
            .collect();
        let mut fields: Vec<Option<Option<ImportField>>> = header
            .iter()
            .map(|h| {
                options
                    .mapping
                    .as_ref()
                    .and_then(|mapping| mapping.get(h.as_str()))
                    .cloned()
            })
            .collect();
        // A field of one value goes to the first column that claims it; chosen ones first.
        let mut taken: HashSet<ImportField> = fields.iter().flatten().flatten().cloned().collect();
        for (field, written) in fields.iter_mut().zip(header) {
            if field.is_some() {
                continue;
            }
            let words = Words::of(written);
            let property = || {
                property_names
                    .iter()
                    .position(|(name, key)| {
                        !words.compact.is_empty()
                            && (*name == words.compact || *key == words.compact)
                    })
                    .map(|i| ImportField::Property(properties[i].key.clone()))
            };
            let chosen = [words.field(), property()].into_iter().flatten().find(|f| {
                matches!(f, ImportField::Phone | ImportField::Email) || !taken.contains(f)
            });
            if let Some(chosen) = &chosen {
                taken.insert(chosen.clone());
            }
            *field = Some(chosen);
        }

        let mut plan = Plan {
            header,
            properties,
            default_country: options.default_country,
            columns: Vec::new(),
            names: false,
            company: false,
            role: false,
            phones: false,
            emails: false,
            tags: false,
            has_properties: false,
        };
        let mut columns = Vec::with_capacity(header.len());
        for (index, (field, written)) in fields.into_iter().zip(header).enumerate() {
            let field = field.flatten();
            if let Some(field) = &field {
                let target = match field {
                    ImportField::FirstName => Target::FirstName,
                    ImportField::LastName => Target::LastName,
                    ImportField::FullName => Target::FullName,
                    ImportField::Company => Target::Company,
                    ImportField::Role => Target::Role,
                    ImportField::Phone => Target::Phone(Words::of(written).phone_label()),
                    ImportField::Email => Target::Email(Words::of(written).email_label()),
                    ImportField::Tags => Target::Tags,
                    ImportField::Property(key) => {
                        Target::Property(properties.iter().position(|p| p.key == *key).ok_or_else(
                            || {
                                CsvError::BadMapping(format!(
                                    "the column “{written}” is to fill the property “{key}”, \
                                     which this workspace does not have"
                                ))
                            },
                        )?)
                    }
                };
                match target {
                    Target::FirstName | Target::LastName | Target::FullName => plan.names = true,
                    Target::Company => plan.company = true,
                    Target::Role => plan.role = true,
                    Target::Phone(_) => plan.phones = true,
                    Target::Email(_) => plan.emails = true,
                    Target::Tags => plan.tags = true,
                    Target::Property(_) => plan.has_properties = true,
                }
                plan.columns.push((index, target));
            }
            columns.push(ImportColumn {
                header: written.clone(),
                field,
            });
        }
        if !(plan.names || plan.company || plan.phones || plan.emails) {
            let found = header
                .iter()
                .filter(|h| !h.is_empty())
                .map(|h| format!("“{h}”"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(CsvError::NoUsableColumn(found));
        }
        Ok((plan, columns))
    }

    /// The contact of one row, or the reasons it cannot be imported in `reasons`.
    fn contact(&self, record: &csv::StringRecord, reasons: &mut Vec<String>) -> ContactInput {
        let empty = |present: bool| present.then(String::new);
        let mut contact = ContactInput {
            first_name: empty(self.names),
            last_name: empty(self.names),
            company: empty(self.company),
            role: empty(self.role),
            phones: self.phones.then(Vec::new),
            emails: self.emails.then(Vec::new),
            tags: self.tags.then(Vec::new),
            properties: self.has_properties.then(BTreeMap::new),
            default_country: None,
        };
        let mut full_name: Option<(String, String)> = None;
        for &(index, target) in &self.columns {
            let header = &self.header[index];
            let cell = unguard(record.get(index).unwrap_or("").trim());
            match target {
                Target::FirstName => name(&mut contact.first_name, header, cell, reasons),
                Target::LastName => name(&mut contact.last_name, header, cell, reasons),
                Target::Company => name(&mut contact.company, header, cell, reasons),
                Target::Role => name(&mut contact.role, header, cell, reasons),
                Target::FullName => match name_field(header, cell) {
                    Ok(Some(full)) if full_name.is_none() => {
                        full_name = Some(match full.split_once(char::is_whitespace) {
                            Some((first, last)) => (first.to_owned(), last.trim().to_owned()),
                            None => (full, String::new()),
                        })
                    }
                    Ok(_) => {}
                    Err(error) => reasons.push(format!("{error} ({})", quoted(cell))),
                },
                Target::Phone(default_label) => {
                    let phones = contact.phones.get_or_insert_with(Vec::new);
                    for item in items(cell, default_label, header) {
                        let (label, written) = match item {
                            Ok(item) => item,
                            Err(error) => {
                                reasons.push(error);
                                continue;
                            }
                        };
                        match phone_numbers::normalise(written, self.default_country) {
                            Ok(number) if phones.iter().any(|p| p.number == number) => {}
                            Ok(number) => phones.push(ContactPhone {
                                number,
                                label: label.to_owned(),
                            }),
                            Err(error) => reasons.push(format!("{header}: {error}")),
                        }
                    }
                }
                Target::Email(default_label) => {
                    let emails = contact.emails.get_or_insert_with(Vec::new);
                    for item in items(cell, default_label, header) {
                        let (label, written) = match item {
                            Ok(item) => item,
                            Err(error) => {
                                reasons.push(error);
                                continue;
                            }
                        };
                        match email(written) {
                            Some(address) if emails.iter().any(|e| e.address == address) => {}
                            Some(address) => emails.push(ContactEmail {
                                address,
                                label: label.to_owned(),
                            }),
                            None => reasons.push(format!(
                                "{header}: {} is not an email address",
                                quoted(written)
                            )),
                        }
                    }
                }
                Target::Tags => {
                    let tags = contact.tags.get_or_insert_with(Vec::new);
                    for written in cell.split([',', ';']).map(str::trim) {
                        if written.is_empty() {
                            continue;
                        }
                        match tag_name(written) {
                            Ok(tag) if tags.contains(&tag) => {}
                            Ok(tag) => tags.push(tag),
                            Err(error) => {
                                reasons.push(format!("{header}: {}: {error}", quoted(written)))
                            }
                        }
                    }
                }
                Target::Property(i) => {
                    let property = &self.properties[i];
                    let values = contact.properties.get_or_insert_with(BTreeMap::new);
                    match validate_property_value(property, &Value::String(cell.to_owned())) {
                        // Two columns for one property: the first with a value wins.
                        Ok(_) if values.get(&property.key).is_some_and(|v| !v.is_null()) => {}
                        // An empty cell clears the value, as `null` does in the API.
                        Ok(value) => {
                            values.insert(property.key.clone(), value.unwrap_or(Value::Null));
                        }
                        Err(error) => reasons.push(error.message),
                    }
                }
            }
        }
        if let Some((first, last)) = full_name {
            // Separate first and last name columns say it better, when they are filled.
            if is_blank(&contact.first_name) && is_blank(&contact.last_name) {
                contact.first_name = Some(first);
                contact.last_name = Some(last);
            }
        }
        for (count, what) in [
            (contact.phones.as_ref().map_or(0, Vec::len), "phone numbers"),
            (contact.emails.as_ref().map_or(0, Vec::len), "emails"),
            (contact.tags.as_ref().map_or(0, Vec::len), "tags"),
        ] {
            if count > MAX_PER_CONTACT {
                reasons.push(format!(
                    "a contact has at most {MAX_PER_CONTACT} {what} ({count} here)"
                ));
            }
        }
        let nothing = is_blank(&contact.first_name)
            && is_blank(&contact.last_name)
            && is_blank(&contact.company)
            && contact.phones.as_ref().is_none_or(Vec::is_empty)
            && contact.emails.as_ref().is_none_or(Vec::is_empty);
        if nothing && reasons.is_empty() {
            reasons.push("no name, company, phone or email".to_owned());
        }
        contact
    }
}

fn is_blank(field: &Option<String>) -> bool {
    field.as_deref().is_none_or(str::is_empty)
}

/// Fills a name field from a cell unless an earlier column filled it.
fn name(slot: &mut Option<String>, header: &str, cell: &str, reasons: &mut Vec<String>) {
    match name_field(header, cell) {
        Ok(Some(value)) if is_blank(slot) => *slot = Some(value),
        Ok(_) => {}
        Err(error) => reasons.push(format!("{error} ({})", quoted(cell))),
    }
}

/// The `label: value` items of a numbers or emails cell, `default_label` for those without.
fn items<'c>(
    cell: &'c str,
    default_label: &'static str,
    header: &'c str,
) -> impl Iterator<Item = Result<(&'c str, &'c str), String>> + 'c {
    cell.split([',', ';', '\n', '\r']).filter_map(move |item| {
        let (label, value) = match item.split_once(':') {
            Some((label, value)) => (label.trim(), value.trim()),
            None => ("", item.trim()),
        };
        if label.chars().count() > MAX_FIELD_CHARS || label.chars().any(char::is_control) {
            return Some(Err(format!(
                "{header}: a label is one line of at most {MAX_FIELD_CHARS} characters"
            )));
        }
        let label = if label.is_empty() {
            default_label
        } else {
            label
        };
        (!value.is_empty()).then_some(Ok((label, value)))
    })
}

/// An email address as stored, with its domain in lowercase, if it is one.
fn email(written: &str) -> Option<String> {
    if !is_email(written) {
        return None;
    }
    let (local, domain) = written.rsplit_once('@')?;
    Some(format!("{local}@{}", domain.to_lowercase()))
}

/// A value for a message, cut if long.
fn quoted(value: &str) -> String {
    const LONGEST: usize = 60;
    match value.char_indices().nth(LONGEST) {
        Some((end, _)) => format!("{:?}", format!("{}…", &value[..end])),
        None => format!("{value:?}"),
    }
}

/// A header's words, lowercase and without accents: "Téléphone pro." is `telephone pro`,
/// "E-mail" is `email`.
struct Words {
    words: Vec<String>,
    compact: String,
}

/// Words a phone column's header may hold.
const PHONE_WORDS: &[&str] = &[
    "phone",
    "phones",
    "telephone",
    "telephones",
    "tel",
    "mobile",
    "mobiles",
    "portable",
    "portables",
    "cell",
    "cellphone",
    "cellular",
    "gsm",
    "number",
    "numbers",
    "numero",
    "numeros",
    "phonenumber",
    "phonenumbers",
    "mobilephone",
    "workphone",
    "homephone",
];
const EMAIL_WORDS: &[&str] = &[
    "email",
    "emails",
    "mail",
    "mails",
    "courriel",
    "courriels",
    "emailaddress",
    "workemail",
    "homeemail",
];
/// Words that qualify a phone or email column without changing what it holds.
const QUALIFIERS: &[&str] = &[
    "work",
    "pro",
    "professional",
    "professionnel",
    "professionnelle",
    "bureau",
    "office",
    "business",
    "home",
    "domicile",
    "maison",
    "perso",
    "personal",
    "personnel",
    "personnelle",
    "main",
    "principal",
    "other",
    "autre",
    "fixe",
    "direct",
    "adresse",
    "address",
    "de",
    "du",
    "of",
    "no",
    "n",
];
const MOBILE: &[&str] = &[
    "mobile",
    "mobiles",
    "portable",
    "portables",
    "cell",
    "cellphone",
    "cellular",
    "gsm",
    "mobilephone",
];
const WORK: &[&str] = &[
    "work",
    "pro",
    "professional",
    "professionnel",
    "professionnelle",
    "bureau",
    "office",
    "business",
    "workphone",
    "workemail",
];
const HOME: &[&str] = &["home", "domicile", "maison", "homephone"];
const PERSONAL: &[&str] = &[
    "home",
    "domicile",
    "maison",
    "perso",
    "personal",
    "personnel",
    "personnelle",
    "homeemail",
];

impl Words {
    fn of(header: &str) -> Words {
        let mut words = Vec::new();
        let mut word = String::new();
        for c in header.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                match c {
                    'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => word.push('a'),
                    'ç' => word.push('c'),
                    'è' | 'é' | 'ê' | 'ë' => word.push('e'),
                    'ì' | 'í' | 'î' | 'ï' => word.push('i'),
                    'ñ' => word.push('n'),
                    'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => word.push('o'),
                    'ù' | 'ú' | 'û' | 'ü' => word.push('u'),
                    'ý' | 'ÿ' => word.push('y'),
                    'œ' => word.push_str("oe"),
                    'æ' => word.push_str("ae"),
                    'ß' => word.push_str("ss"),
                    _ => word.push(c),
                }
            } else if !matches!(c, '-' | '.' | '\'' | '’') && !word.is_empty() {
                // Hyphens and dots join ("e-mail", "tél."); anything else separates.
                words.push(std::mem::take(&mut word));
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        let compact = words.concat();
        Words { words, compact }
    }

    fn has(&self, list: &[&str]) -> bool {
        self.words.iter().any(|w| list.contains(&w.as_str()))
    }

    /// Only words of `kind` and qualifiers, at least one of `kind`.
    fn only(&self, kind: &[&str]) -> bool {
        self.has(kind)
            && self.words.iter().all(|w| {
                kind.contains(&w.as_str())
                    || QUALIFIERS.contains(&w.as_str())
                    || w.bytes().all(|b| b.is_ascii_digit())
            })
    }

    /// The built-in field a header names, in English or French.
    fn field(&self) -> Option<ImportField> {
        Some(match self.compact.as_str() {
            "firstname" | "givenname" | "forename" | "prenom" => ImportField::FirstName,
            "lastname" | "surname" | "familyname" | "nom" | "nomdefamille" | "nomfamille" => {
                ImportField::LastName
            }
            "name" | "fullname" | "displayname" | "contact" | "contactname" | "nomcomplet"
            | "prenometnom" | "nometprenom" => ImportField::FullName,
            "company" | "companyname" | "organization" | "organisation" | "organizationname"
            | "entreprise" | "societe" => ImportField::Company,
            "role" | "title" | "jobtitle" | "fonction" | "poste" => ImportField::Role,
            "tags" | "tag" | "labels" | "etiquettes" | "etiquette" => ImportField::Tags,
            "adresseelectronique" => ImportField::Email,
            _ if self.only(PHONE_WORDS) => ImportField::Phone,
            _ if self.only(EMAIL_WORDS) => ImportField::Email,
            _ => return None,
        })
    }

    fn phone_label(&self) -> &'static str {
        if self.has(MOBILE) {
            "mobile"
        } else if self.has(WORK) {
            "work"
        } else if self.has(HOME) {
            "home"
        } else {
            "mobile"
        }
    }

    fn email_label(&self) -> &'static str {
        if self.has(PERSONAL) {
            "home"
        } else {
            "work"
        }
    }
}

/// A header or a property's name or key, compared without case, accents or punctuation.
fn compact(written: &str) -> String {
    Words::of(written).compact
}

/// Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula: a contact named
/// `=HYPERLINK(…)` must stay text. An apostrophe before such a cell makes it text there, and
/// import takes it off again (so a cell that starts with one gets another).
fn needs_guard(cell: &str) -> bool {
    let mut chars = cell.chars();
    match chars.next() {
        Some('=' | '+' | '-' | '@') => !numeric(cell),
        Some('\'') => matches!(chars.next(), Some('=' | '+' | '-' | '@' | '\'')),
        _ => false,
    }
}

fn guard(cell: &str) -> Cow<'_, str> {
    if needs_guard(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\'']) => rest,
        _ => cell,
    }
}

/// "-12.5", "+3": numbers, which spreadsheets show as numbers and never run.
fn numeric(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    !digits.is_empty()
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        && digits.bytes().any(|b| b.is_ascii_digit())
}

/// The rejected rows as a file to fix and import again: the file's header, then "Reason".
/// UTF-8 with a BOM and commas, which every spreadsheet opens.
pub fn rejected_csv(header: &[String], rejected: &[RejectedRow]) -> String {
    // Rows longer than the header keep their extra values, under unnamed columns.
    let width = rejected
        .iter()
        .map(|r| r.values.len())
        .max()
        .unwrap_or(0)
        .max(header.len());
    let mut writer = writer(b',');
    let mut cells: Vec<Cow<'_, str>> = Vec::with_capacity(width + 1);
    cells.extend(header.iter().map(|h| guard(h)));
    cells.resize(width, Cow::Borrowed(""));
    cells.push(Cow::Borrowed("Reason"));
    record(&mut writer, cells.iter().map(|c| c.as_bytes()));
    for row in rejected {
        cells.clear();
        cells.extend(row.values.iter().map(|v| guard(v)));
        cells.resize(width, Cow::Borrowed(""));
        cells.push(guard(&row.reason));
        record(&mut writer, cells.iter().map(|c| c.as_bytes()));
    }
    String::from_utf8(finish(writer)).expect("CSV written from strings is UTF-8")
}

/// Contacts as a CSV file that spreadsheets open, and that [`read`] imports back unchanged.
pub fn write(
    contacts: &[ContactCard],
    tags: &[Tag],
    properties: &[PropertyDefinition],
    separator: u8,
) -> Vec<u8> {
    const HEADER: [&str; 7] = [
        "First name",
        "Last name",
        "Company",
        "Role",
        "Phones",
        "Emails",
        "Tags",
    ];
    let tag_names: HashMap<TagId, &str> = tags.iter().map(|t| (t.id, t.name.as_str())).collect();
    let mut writer = writer(separator);
    let header: Vec<&str> = HEADER
        .into_iter()
        .chain(properties.iter().map(|p| p.name.as_str()))
        .collect();
    record(&mut writer, &header);
    // One set of cells for every row: cleared, not reallocated.
    let mut cells: Vec<String> = vec![String::new(); header.len()];
    for card in contacts {
        for cell in &mut cells {
            cell.clear();
        }
        for (cell, field) in
            cells
                .iter_mut()
                .zip([&card.first_name, &card.last_name, &card.company, &card.role])
        {
            cell.push_str(field.as_deref().unwrap_or(""));
        }
        // Always labelled, so that no cell starts with "+" for spreadsheets to take as a sum.
        labelled(
            &mut cells[4],
            card.phones
                .iter()
                .map(|p| (p.label.as_str(), p.number.as_str())),
            "mobile",
        );
        labelled(
            &mut cells[5],
            card.emails
                .iter()
                .map(|e| (e.label.as_str(), e.address.as_str())),
            "work",
        );
        let names = card.tags.iter().filter_map(|id| tag_names.get(id));
        for (i, name) in names.enumerate() {
            if i > 0 {
                cells[6].push_str(", ");
            }
            cells[6].push_str(name);
        }
        for (property, cell) in properties.iter().zip(&mut cells[HEADER.len()..]) {
            if let Some(value) = card.properties.get(&property.key) {
                property_cell(cell, value);
            }
        }
        for cell in &mut cells {
            if needs_guard(cell) {
                cell.insert(0, '\'');
            }
        }
        record(&mut writer, &cells);
    }
    finish(writer)
}

fn labelled<'v>(cell: &mut String, items: impl Iterator<Item = (&'v str, &'v str)>, or: &str) {
    for (i, (label, value)) in items.enumerate() {
        if i > 0 {
            cell.push_str(", ");
        }
        cell.push_str(if label.is_empty() { or } else { label });
        cell.push_str(": ");
        cell.push_str(value);
    }
}

/// A property's value as [`validate_property_value`] reads it back.
fn property_cell(cell: &mut String, value: &Value) {
    match value {
        Value::Null => {}
        Value::String(text) => cell.push_str(text),
        Value::Bool(true) => cell.push_str("yes"),
        Value::Bool(false) => cell.push_str("no"),
        Value::Number(number) => {
            let json = number.to_string();
            // Import refuses exponents ("1e21"), which JSON writes for large floats.
            match number.as_f64() {
                Some(n) if json.contains(['e', 'E']) => cell.push_str(&n.to_string()),
                _ => cell.push_str(&json),
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    cell.push_str(", ");
                }
                property_cell(cell, item);
            }
        }
        Value::Object(_) => cell.push_str(&value.to_string()),
    }
}

fn writer(separator: u8) -> csv::Writer<Vec<u8>> {
    // The BOM tells Excel the file is UTF-8; without it accents come out garbled.
    csv::WriterBuilder::new()
        .delimiter(separator)
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec())
}

fn record<T: AsRef<[u8]>>(writer: &mut csv::Writer<Vec<u8>>, cells: impl IntoIterator<Item = T>) {
    writer
        .write_record(cells)
        .expect("writing CSV to memory cannot fail");
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Vec<u8> {
    writer
        .into_inner()
        .expect("writing CSV to memory cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;
    use switchboard_domain::contacts::PropertyType;
    use switchboard_domain::ids::ContactId;

    fn property(key: &str, name: &str, kind: PropertyType, options: &[&str]) -> PropertyDefinition {
        PropertyDefinition {
            key: key.to_owned(),
            name: name.to_owned(),
            kind,
            options: options.iter().map(|o| o.to_string()).collect(),
            position: 0,
        }
    }

    /// One property of every type.
    fn properties() -> Vec<PropertyDefinition> {
        vec![
            property(
                "plan",
                "Plan",
                PropertyType::SingleChoice,
                &["Basic", "Pro", "Enterprise"],
            ),
            property("seats", "Seats", PropertyType::Number, &[]),
            property("renewal", "Renewal date", PropertyType::Date, &[]),
            property("website", "Website", PropertyType::Url, &[]),
            property("address", "Postal address", PropertyType::Address, &[]),
            property("newsletter", "Newsletter", PropertyType::Boolean, &[]),
            property(
                "channels",
                "Channels",
                PropertyType::MultipleChoice,
                &["SMS", "Voice", "E-mail"],
            ),
            property("nickname", "Nickname", PropertyType::Text, &[]),
        ]
    }

    fn read_with(text: impl AsRef<[u8]>, country: Option<Id>) -> ParsedImport {
        let options = ImportOptions {
            default_country: country,
            mapping: None,
        };
        read(text.as_ref(), &properties(), &options).unwrap()
    }

    fn parse(text: impl AsRef<[u8]>) -> ParsedImport {
        read_with(text, None)
    }

    fn fail(text: impl AsRef<[u8]>) -> CsvError {
        read(text.as_ref(), &properties(), &ImportOptions::default()).unwrap_err()
    }

    fn phone(number: &str, label: &str) -> ContactPhone {
        ContactPhone {
            number: number.to_owned(),
            label: label.to_owned(),
        }
    }

    fn some(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    fn reasons(parsed: &ParsedImport) -> Vec<(u64, &str)> {
        parsed
            .rejected
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect()
    }

    #[test]
    fn every_encoding_spreadsheets_write_is_read() {
        let text =
            "First name,Last name,Company,Phone\r\nHélène,Dupré,L’Atelier,+33 6 12 34 56 78\r\n";
        let utf16 = |big: bool| -> Vec<u8> {
            let mut bytes = if big {
                vec![0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE]
            };
            for unit in text.encode_utf16() {
                bytes.extend(if big {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                });
            }
            bytes
        };
        let files: [(&str, Vec<u8>); 5] = [
            ("UTF-8", text.as_bytes().to_vec()),
            ("UTF-8 with BOM", [BOM, text.as_bytes()].concat()),
            (
                "Windows-1252",
                b"First name,Last name,Company,Phone\r\nH\xE9l\xE8ne,Dupr\xE9,L\x92Atelier,+33 6 12 34 56 78\r\n"
                    .to_vec(),
            ),
            ("UTF-16LE", utf16(false)),
            ("UTF-16BE", utf16(true)),
        ];
        for (encoding, bytes) in files {
            let parsed = parse(&bytes);
            assert_eq!(
                parsed.header[0], "First name",
                "{encoding}: no BOM in the header"
            );
            assert_eq!(parsed.rows.len(), 1, "{encoding}: {:?}", parsed.rejected);
            let contact = &parsed.rows[0].contact;
            assert_eq!(contact.first_name, some("Hélène"), "{encoding}");
            assert_eq!(contact.last_name, some("Dupré"), "{encoding}");
            assert_eq!(contact.company, some("L’Atelier"), "{encoding}");
            assert_eq!(contact.phones, Some(vec![phone("+33612345678", "mobile")]));
        }
    }

    #[test]
    fn comma_semicolon_and_tab_separators_are_recognised() {
        for (separator, file) in [
            (
                ",",
                "First name,Seats,Phone\nAna,\"12,5\",+1 555 010 0200\n",
            ),
            (";", "First name;Seats;Phone\nAna;12,5;+1 555 010 0200\n"),
            (
                "\t",
                "First name\tSeats\tPhone\nAna\t12,5\t+1 555 010 0200\n",
            ),
            // A comma in a quoted header counts for nothing.
            (
                ";",
                "\"Name, first\";Seats;Phone\nAna;12,5;+1 555 010 0200\n",
            ),
        ] {
            let parsed = parse(file);
            assert_eq!(parsed.header.len(), 3, "{separator:?}");
            assert_eq!(parsed.rows.len(), 1, "{separator:?}: {:?}", parsed.rejected);
            let contact = &parsed.rows[0].contact;
            assert_eq!(contact.properties.as_ref().unwrap()["seats"], json!(12.5));
            assert_eq!(contact.phones, Some(vec![phone("+15550100200", "mobile")]));
        }
        // Excel's own hint line wins over counting; lines keep counting from the top.
        let parsed = parse("sep=,\nNickname;x,Phone\nAna;b,+1 555 010 0200\nBob,12\n");
        assert_eq!(parsed.header, ["Nickname;x", "Phone"]);
        assert_eq!(parsed.rows[0].line, 3);
        assert_eq!(parsed.rejected[0].line, 4);
    }

    #[test]
    fn quoted_fields_keep_separators_quotes_and_line_breaks_and_lines_stay_right() {
        let file = "First name,Postal address,Phone\r\n\
                    \"Ana \"\"Bo\"\", Jr\",\"1 rue de la Paix\r\n75002 Paris\",+33612345678\r\n\
                    Bob,\"a\nb\nc\",12\r\n\
                    \r\n\
                    Cy,,+15550100200\r\n";
        let parsed = parse(file);
        assert_eq!(parsed.rows.len(), 2);
        let ana = &parsed.rows[0];
        assert_eq!(ana.line, 2);
        assert_eq!(ana.contact.first_name, some("Ana \"Bo\", Jr"));
        assert_eq!(
            ana.contact.properties.as_ref().unwrap()["address"],
            json!("1 rue de la Paix\r\n75002 Paris")
        );
        assert_eq!(parsed.rows[1].line, 8);
        assert_eq!(parsed.rows[1].contact.first_name, some("Cy"));
        assert_eq!(reasons(&parsed).len(), 1);
        assert_eq!(parsed.rejected[0].line, 4);
        assert!(parsed.rejected[0].reason.starts_with("Phone: \"12\""));
        assert_eq!(parsed.rejected[0].values, ["Bob", "a\nb\nc", "12"]);
        // Old Mac files: lines end with CR alone.
        let parsed = parse("First name,Phone\rAna,+15550100200\rBob,12\r");
        assert_eq!(parsed.rows[0].line, 2);
        assert_eq!(parsed.rejected[0].line, 3);
    }

    #[test]
    fn french_headers_are_understood() {
        let file = "Prénom;NOM;Société;Fonction;Téléphone portable;Tél. bureau;Téléphone domicile;\
                    Numéro;Courriel;E-mail perso;Étiquettes;Nom complet;Remarques\n\
                    Hélène;Dupré;Acme;Directrice;06 12 34 56 78;01 23 45 67 89;\
                    09 87 65 43 21;+1 555 010 0200;Helene@ACME.fr;h.dupre@Example.org;Client fidèle;;ok\n";
        let parsed = read_with(file, Some(Id::FR));
        let fields: Vec<Option<ImportField>> =
            parsed.columns.iter().map(|c| c.field.clone()).collect();
        use ImportField::*;
        assert_eq!(
            fields,
            [
                Some(FirstName),
                Some(LastName),
                Some(Company),
                Some(Role),
                Some(Phone),
                Some(Phone),
                Some(Phone),
                Some(Phone),
                Some(Email),
                Some(Email),
                Some(Tags),
                Some(FullName),
                None,
            ]
        );
        assert_eq!(parsed.columns[12].header, "Remarques");
        assert_eq!(parsed.rows.len(), 1, "{:?}", parsed.rejected);
        let contact = &parsed.rows[0].contact;
        assert_eq!(contact.first_name, some("Hélène"));
        assert_eq!(contact.role, some("Directrice"));
        assert_eq!(
            contact.phones,
            Some(vec![
                phone("+33612345678", "mobile"),
                phone("+33123456789", "work"),
                phone("+33987654321", "home"),
                phone("+15550100200", "mobile"),
            ])
        );
        assert_eq!(
            contact.emails,
            Some(vec![
                ContactEmail {
                    address: "Helene@acme.fr".into(),
                    label: "work".into()
                },
                ContactEmail {
                    address: "h.dupre@example.org".into(),
                    label: "home".into()
                },
            ])
        );
        assert_eq!(contact.tags, Some(vec!["Client fidèle".to_owned()]));
        assert_eq!(contact.default_country, None);
    }

    #[test]
    fn english_headers_in_any_spelling() {
        use ImportField::*;
        for (header, field) in [
            ("first_name", Some(FirstName)),
            ("FirstName", Some(FirstName)),
            ("Given Name", Some(FirstName)),
            ("Surname", Some(LastName)),
            ("Family name", Some(LastName)),
            ("Full name", Some(FullName)),
            ("Contact", Some(FullName)),
            ("Organization", Some(Company)),
            ("Job Title", Some(Role)),
            ("Phone number", Some(Phone)),
            ("Cell", Some(Phone)),
            ("Phone 2", Some(Phone)),
            ("E-mail Address", Some(Email)),
            ("Labels", Some(Tags)),
            ("Renewal Date", Some(Property("renewal".into()))),
            ("newsletter", Some(Property("newsletter".into()))),
            ("Phone 1 - Type", None),
            ("Notes", None),
            ("", None),
        ] {
            let parsed = parse(format!("Email,{header}\n"));
            assert_eq!(parsed.columns[1].field, field, "{header}");
        }
    }

    #[test]
    fn a_field_of_one_value_goes_to_the_first_column() {
        let parsed =
            parse("Company,Phone,Organisation,Mobile\nAcme,+15550100200,Other,+15550100201\n");
        assert_eq!(parsed.columns[2].field, None);
        assert_eq!(parsed.columns[3].field, Some(ImportField::Phone));
        let contact = &parsed.rows[0].contact;
        assert_eq!(contact.company, some("Acme"));
        assert_eq!(contact.phones.as_ref().unwrap().len(), 2);
    }

    #[test]
    fn a_chosen_mapping_overrides_the_automatic_one() {
        let mapping = BTreeMap::from([
            ("Nom".to_owned(), Some(ImportField::FullName)),
            (
                "Notes".to_owned(),
                Some(ImportField::Property("plan".into())),
            ),
            ("Plan".to_owned(), None),
            ("Absent".to_owned(), Some(ImportField::Company)),
        ]);
        let options = ImportOptions {
            default_country: None,
            mapping: Some(mapping),
        };
        let file = "Nom,Numéro,Notes,Plan\nAna Bell,+15550100200,pro,Gold\n";
        let parsed = read(file.as_bytes(), &properties(), &options).unwrap();
        let fields: Vec<_> = parsed.columns.iter().map(|c| c.field.clone()).collect();
        assert_eq!(
            fields,
            [
                Some(ImportField::FullName),
                Some(ImportField::Phone),
                Some(ImportField::Property("plan".into())),
                None,
            ]
        );
        let contact = &parsed.rows[0].contact;
        assert_eq!(
            (contact.first_name.as_deref(), contact.last_name.as_deref()),
            (Some("Ana"), Some("Bell"))
        );
        assert_eq!(
            contact.properties,
            Some(BTreeMap::from([("plan".to_owned(), json!("Pro"))]))
        );

        let options = ImportOptions {
            default_country: None,
            mapping: Some(BTreeMap::from([(
                "Notes".to_owned(),
                Some(ImportField::Property("colour".into())),
            )])),
        };
        let error = read(file.as_bytes(), &properties(), &options).unwrap_err();
        assert!(matches!(error, CsvError::BadMapping(_)));
        assert!(error.to_string().contains("“colour”"), "{error}");
    }

    #[test]
    fn national_numbers_need_a_default_country() {
        let file = "Name,Téléphone\nHélène Dupré,06 12 34 56 78\nBob,+1 555 010 0200\n";
        let parsed = read_with(file, Some(Id::FR));
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(
            parsed.rows[0].contact.phones,
            Some(vec![phone("+33612345678", "mobile")])
        );
        let parsed = parse(file);
        assert_eq!(parsed.rows.len(), 1);
        let (line, reason) = reasons(&parsed)[0];
        assert_eq!(line, 2);
        assert!(
            reason.starts_with("Téléphone: \"06 12 34 56 78\" has no country code"),
            "{reason}"
        );
        assert!(reason.contains("default country"), "{reason}");
        let parsed = read_with("Name,Phone\nBob,(212) 555-0100\n", Some(Id::US));
        assert_eq!(
            parsed.rows[0].contact.phones,
            Some(vec![phone("+12125550100", "mobile")])
        );
    }

    #[test]
    fn refused_cells_name_their_column_and_value() {
        let file = "First name,Phone,Emails,Plan,Seats,Tags,Nickname\n\
                    Ana,12,ana@,Gold,many,,\n\
                    Bob,+15550100200,,,,\"VIP, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\n\
                    Cy,+15550100201,,,,,\"two\nlines\"\n";
        let parsed = parse(file);
        assert!(parsed.rows.is_empty());
        let all = reasons(&parsed);
        assert_eq!(all[0].0, 2);
        let ana: Vec<&str> = all[0].1.split("; ").collect();
        assert!(
            ana[0].starts_with("Phone: \"12\" is not a phone number"),
            "{}",
            ana[0]
        );
        assert_eq!(ana[1], "Emails: \"ana@\" is not an email address");
        assert_eq!(
            ana[2],
            "“Plan” must be one of Basic, Pro, Enterprise, not \"Gold\""
        );
        assert_eq!(ana[3], "“Seats” must be a number, not \"many\"");
        assert_eq!(all[1].0, 3);
        assert!(all[1].1.starts_with("Tags: \"aaaa"), "{}", all[1].1);
        assert!(
            all[1].1.ends_with("a tag name has at most 40 characters"),
            "{}",
            all[1].1
        );
        assert_eq!(all[2], (4, "“Nickname” is one line of text"));
        let parsed = parse(format!(
            "First name,Phone\n{},+15550100200\n",
            "x".repeat(201)
        ));
        assert!(
            parsed.rejected[0]
                .reason
                .starts_with("First name has at most 200 characters (\"xxx"),
            "{}",
            parsed.rejected[0].reason
        );
    }

    #[test]
    fn a_number_twice_in_one_file_is_refused_the_second_time() {
        let file = "Name,Phone\n\
                    Ana,+1 555 010 0200\n\
                    Bob,\"+15550100201, +1 (555) 010-0200\"\n\
                    Cy,\"+1 555 010 0300, +1 555 010 0301\"\n\
                    Dee,\"+1 555 010 0300, +1 555 010 0301\n\"\n\
                    Eve,+1555010030\n";
        let parsed = parse(file);
        assert_eq!(
            reasons(&parsed),
            [
                (
                    3,
                    "the number +15550100200 is already on line 2 of this file"
                ),
                (
                    5,
                    "the number +15550100300 is already on line 4 of this file"
                ),
            ]
        );
        // A refused row claims no number.
        let parsed = parse("Name,Phone,Seats\nAna,+15550100200,x\nBob,+15550100200,\n");
        assert_eq!(parsed.rejected[0].line, 2);
        assert_eq!(parsed.rows[0].line, 3);
        // One number twice on one contact is once.
        let parsed = parse("Name,Phone,Mobile\nAna,+15550100200,+1 555 010 0200\n");
        assert_eq!(
            parsed.rows[0].contact.phones,
            Some(vec![phone("+15550100200", "mobile")])
        );
    }

    /// Bytes no text has, the same every run.
    fn noise(length: usize) -> Vec<u8> {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        (0..length)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn binary_files_are_not_csv() {
        let png = [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(), &noise(2000)].concat();
        let without_nul: Vec<u8> = noise(4000).into_iter().map(|b| b.max(1)).collect();
        let xlsx = [b"PK\x03\x04\x14\0\x06\0".as_slice(), &noise(500)].concat();
        let nul = b"First name,Phone\nAna\0,+15550100200\n".to_vec();
        let utf16_without_bom: Vec<u8> = "First name\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        for (what, bytes) in [
            ("png", png),
            ("noise", without_nul),
            ("xlsx", xlsx),
            ("nul", nul),
            ("utf16", utf16_without_bom),
            ("bad utf-16", vec![0xFF, 0xFE, 0x00, 0xD8, b'a', 0]),
        ] {
            let error = fail(&bytes);
            assert!(matches!(error, CsvError::NotCsv(_)), "{what}: {error:?}");
        }
        let error = fail([b"PK\x03\x04".as_slice(), &noise(100)].concat());
        assert!(error.to_string().contains("workbook (.xlsx"), "{error}");
        let error = fail([BOM, b"Name\n\xE9\n".as_slice()].concat());
        assert_eq!(
            error.to_string(),
            "this is not a CSV file: it says it is UTF-8 but line 2 is not. Save the contacts \
             from the spreadsheet as CSV and import that file"
        );
        // Vertical tabs (line breaks in cells from some programs) are text.
        assert_eq!(
            parse("Name,Phone\nAna\x0bBell,+15550100200\n")
                .rejected
                .len(),
            1
        );
    }

    #[test]
    fn empty_files_and_files_without_usable_columns_are_refused() {
        for empty in ["", "\u{feff}", "\r\n \n", "sep=;\n"] {
            assert!(matches!(fail(empty), CsvError::Empty), "{empty:?}");
        }
        let error = fail("Notes,Remarks\nx,y\n");
        assert_eq!(error, CsvError::NoUsableColumn("“Notes”, “Remarks”".into()));
        assert!(
            error
                .to_string()
                .contains("(the columns are “Notes”, “Remarks”)"),
            "{error}"
        );
        let error = fail(",,\nx,y,z\n");
        assert_eq!(error, CsvError::NoUsableColumn(String::new()));
        assert!(error.to_string().contains("names no columns"), "{error}");
        // A header alone is a file with no contacts.
        let parsed = parse("First name,Phone\r\n");
        assert!(parsed.rows.is_empty() && parsed.rejected.is_empty());
    }

    #[test]
    fn rows_of_other_lengths_and_empty_rows() {
        let file = "First name,Phone,Company\n\
                    Ana\n\
                    ,,\n\
                    Bob,+15550100200,,,\n\
                    Cy,+15550100201,Acme,surplus\n\
                    Dee,,,\n";
        let parsed = parse(file);
        assert_eq!(parsed.rows.len(), 3);
        assert_eq!(parsed.rows[0].values, ["Ana", "", ""]);
        assert_eq!(parsed.rows[1].line, 4);
        assert_eq!(parsed.rows[1].values, ["Bob", "+15550100200", ""]);
        assert_eq!(parsed.rows[2].line, 6);
        assert_eq!(
            reasons(&parsed),
            [(5, "the line has 4 values but the header names 3 columns")]
        );
        assert_eq!(
            parsed.rejected[0].values,
            ["Cy", "+15550100201", "Acme", "surplus"]
        );
        let parsed = parse("First name,Role,Tags\n,Boss,VIP\n");
        assert_eq!(reasons(&parsed), [(2, "no name, company, phone or email")]);
    }

    #[test]
    fn only_the_columns_in_the_file_are_set() {
        let parsed = parse("Phone\n+15550100200\n");
        assert_eq!(
            parsed.rows[0].contact,
            ContactInput {
                phones: Some(vec![phone("+15550100200", "mobile")]),
                ..ContactInput::default()
            }
        );
        // Columns present but empty clear what the contact had.
        let parsed = parse("Company,Last name,Emails,Tags,Plan\nAcme,,,,\n");
        assert_eq!(
            parsed.rows[0].contact,
            ContactInput {
                first_name: some(""),
                last_name: some(""),
                company: some("Acme"),
                emails: Some(vec![]),
                tags: Some(vec![]),
                properties: Some(BTreeMap::from([("plan".to_owned(), Value::Null)])),
                ..ContactInput::default()
            }
        );
    }

    #[test]
    fn cells_hold_labelled_lists() {
        let file = "First name,Work phone,Emails,Tags\n\
                    Ana,\"work: +1 555 010 0200, mobile: +33 6 12 34 56 78; +1 555 010 0201\n\
                    +1 555 010 0202\",\"home: Ana@Example.COM; ana.b@example.org,\",\"VIP,  new   lead ; VIP;\"\n";
        let contact = &parse(file).rows[0].contact;
        assert_eq!(
            contact.phones,
            Some(vec![
                phone("+15550100200", "work"),
                phone("+33612345678", "mobile"),
                phone("+15550100201", "work"),
                phone("+15550100202", "work"),
            ])
        );
        assert_eq!(
            contact.emails,
            Some(vec![
                ContactEmail {
                    address: "Ana@example.com".into(),
                    label: "home".into()
                },
                ContactEmail {
                    address: "ana.b@example.org".into(),
                    label: "work".into()
                },
            ])
        );
        assert_eq!(
            contact.tags,
            Some(vec!["VIP".to_owned(), "new lead".to_owned()])
        );
        let parsed = parse(format!(
            "Name,Phone\nAna,\"{}\"\n",
            (0..51)
                .map(|i| format!("+1555010{i:04}"))
                .collect::<Vec<_>>()
                .join(",")
        ));
        assert_eq!(
            reasons(&parsed),
            [(2, "a contact has at most 50 phone numbers (51 here)")]
        );
    }

    #[test]
    fn a_full_name_splits_at_its_first_space() {
        let parsed = parse("Name,Phone\nAna Maria Bell,+15550100200\nCher,+15550100201\n");
        let names: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| {
                (
                    r.contact.first_name.as_deref(),
                    r.contact.last_name.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [(Some("Ana"), Some("Maria Bell")), (Some("Cher"), Some(""))]
        );
        // First and last name columns say it better when they are filled.
        let parsed = parse("Name,First name,Last name\nAna Bell,Anna,Bel\nCy Dee,,\n");
        let names: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| {
                (
                    r.contact.first_name.as_deref(),
                    r.contact.last_name.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [(Some("Anna"), Some("Bel")), (Some("Cy"), Some("Dee"))]
        );
    }

    fn card(id: i64) -> ContactCard {
        ContactCard {
            id: ContactId(id),
            name: String::new(),
            first_name: None,
            last_name: None,
            company: None,
            role: None,
            phones: vec![],
            emails: vec![],
            tags: vec![],
            properties: BTreeMap::new(),
            source: "switchboard".into(),
            external_id: None,
            created_by: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn tags() -> Vec<Tag> {
        use switchboard_domain::contacts::TagColour;
        ["VIP", "Client fidèle", "\"Quoted\" tag", "=sum", "it's"]
            .iter()
            .enumerate()
            .map(|(i, name)| Tag {
                id: TagId(i as i64 + 1),
                name: (*name).to_owned(),
                colour: TagColour::for_name(name),
            })
            .collect()
    }

    /// What importing an exported card gives: every column is in the file, so every field is
    /// set, and unlabelled items take the column's label.
    fn expected(
        card: &ContactCard,
        tags: &[Tag],
        properties: &[PropertyDefinition],
    ) -> ContactInput {
        let or =
            |label: &str, default: &str| if label.is_empty() { default } else { label }.to_owned();
        ContactInput {
            first_name: Some(card.first_name.clone().unwrap_or_default()),
            last_name: Some(card.last_name.clone().unwrap_or_default()),
            company: Some(card.company.clone().unwrap_or_default()),
            role: Some(card.role.clone().unwrap_or_default()),
            phones: Some(
                card.phones
                    .iter()
                    .map(|p| phone(&p.number, &or(&p.label, "mobile")))
                    .collect(),
            ),
            emails: Some(
                card.emails
                    .iter()
                    .map(|e| ContactEmail {
                        address: e.address.clone(),
                        label: or(&e.label, "work"),
                    })
                    .collect(),
            ),
            tags: Some(
                card.tags
                    .iter()
                    .map(|id| tags.iter().find(|t| t.id == *id).unwrap().name.clone())
                    .collect(),
            ),
            properties: (!properties.is_empty()).then(|| {
                properties
                    .iter()
                    .map(|p| {
                        (
                            p.key.clone(),
                            card.properties.get(&p.key).cloned().unwrap_or(Value::Null),
                        )
                    })
                    .collect()
            }),
            default_country: None,
        }
    }

    #[test]
    fn export_writes_what_spreadsheets_open() {
        let mut ana = card(1);
        ana.first_name = some("Ana");
        ana.last_name = some("Bell, Jr");
        ana.company = some("=HYPERLINK(\"http://x\")");
        ana.role = some("-");
        ana.phones = vec![phone("+15550100200", "work"), phone("+33612345678", "")];
        ana.emails = vec![ContactEmail {
            address: "ana@example.com".into(),
            label: String::new(),
        }];
        ana.tags = vec![TagId(1), TagId(4), TagId(99)];
        ana.properties = BTreeMap::from([
            ("plan".to_owned(), json!("Pro")),
            ("seats".to_owned(), json!(1e21)),
            ("renewal".to_owned(), json!("2026-03-01")),
            ("address".to_owned(), json!("1 rue de la Paix\n75002 Paris")),
            ("newsletter".to_owned(), json!(false)),
            ("channels".to_owned(), json!(["SMS", "E-mail"])),
        ]);
        let mut bob = card(2);
        bob.company = some("'=x");
        bob.phones = vec![phone("+15550100201", "mobile")];
        bob.properties = BTreeMap::from([
            ("seats".to_owned(), json!(-5)),
            ("newsletter".to_owned(), json!(true)),
        ]);
        let bytes = write(&[ana.clone(), bob.clone()], &tags(), &properties(), b',');
        let text = std::str::from_utf8(&bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}First name,Last name,Company,Role,Phones,Emails,Tags,Plan,Seats,Renewal date,\
             Website,Postal address,Newsletter,Channels,Nickname\r\n\
             Ana,\"Bell, Jr\",\"'=HYPERLINK(\"\"http://x\"\")\",'-,\"work: +15550100200, mobile: \
             +33612345678\",work: ana@example.com,\"VIP, =sum\",Pro,1000000000000000000000,\
             2026-03-01,,\"1 rue de la Paix\n75002 Paris\",no,\"SMS, E-mail\",\r\n\
             ,,''=x,,mobile: +15550100201,,,,-5,,,,yes,,\r\n"
        );
        let parsed = parse(&bytes);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let mut ana_tags = ana.clone();
        ana_tags.tags.pop();
        assert_eq!(
            parsed.rows[0].contact,
            expected(&ana_tags, &tags(), &properties())
        );
        assert_eq!(
            parsed.rows[1].contact,
            expected(&bob, &tags(), &properties())
        );
        // Without properties, the file has the fixed columns only, for any separator.
        let bytes = write(&[bob.clone()], &tags(), &[], b';');
        assert!(bytes
            .starts_with(b"\xEF\xBB\xBFFirst name;Last name;Company;Role;Phones;Emails;Tags\r\n"));
        let parsed = read(&bytes, &[], &ImportOptions::default()).unwrap();
        assert_eq!(parsed.rows[0].contact, expected(&bob, &tags(), &[]));
    }

    #[test]
    fn rejected_rows_come_back_as_a_file_with_reasons() {
        let parsed = parse("First name,Phone\r\nAna,12\r\n=Bob,+15550100200,extra\r\n");
        let file = rejected_csv(&parsed.header, &parsed.rejected);
        let mut lines = file.split("\r\n");
        assert_eq!(lines.next(), Some("\u{feff}First name,Phone,,Reason"));
        assert!(lines
            .next()
            .unwrap()
            .starts_with("Ana,12,,\"Phone: \"\"12\"\" is not a phone number"));
        assert_eq!(
            lines.next(),
            Some("'=Bob,+15550100200,extra,the line has 3 values but the header names 2 columns")
        );
        // It imports again, its reasons ignored.
        let again = parse(&file);
        assert_eq!(again.columns[3].field, None);
        assert_eq!(again.rejected.len(), 1);
        assert_eq!(again.rows[0].values[0], "'=Bob");
        assert_eq!(again.rows[0].contact.first_name, some("=Bob"));
        assert_eq!(rejected_csv(&["A".to_owned()], &[]), "\u{feff}A,Reason\r\n");
    }

    #[test]
    fn a_hundred_thousand_rows() {
        use std::fmt::Write;
        let mut file = String::with_capacity(16 << 20);
        file.push_str(
            "First name,Last name,Company,Role,Phones,Emails,Tags,Plan,Seats,Postal address\r\n",
        );
        for i in 0..100_000 {
            write!(
                file,
                "Ana{i},Bell{i},Company number {i},Head of things,\"work: +1 555 {:03} {:04}, \
                 mobile: +44 7{i:09}\",ana.{i}@example.com,\"VIP, lead\",pro,{i},\"{i} rue de la \
                 Paix\n75002 Paris\"\r\n",
                i / 10_000,
                i % 10_000,
            )
            .unwrap();
        }
        // Each record takes two lines; the last repeats a number of the first.
        file.push_str("Bob,,,,+1 555 000 0000,,,,,\r\n");
        assert!(file.len() > 10_000_000);
        let started = std::time::Instant::now();
        let parsed = parse(file.as_bytes());
        eprintln!("{} bytes read in {:?}", file.len(), started.elapsed());
        assert_eq!(parsed.rows.len(), 100_000);
        assert_eq!(parsed.rows[99_999].line, 2 + 99_999 * 2);
        let last = &parsed.rows[99_999].contact;
        assert_eq!(
            last.phones.as_ref().unwrap()[1],
            phone("+447000099999", "mobile")
        );
        assert_eq!(
            reasons(&parsed),
            [(
                200_002,
                "the number +15550000000 is already on line 2 of this file"
            )]
        );
    }

    fn card_strategy(index: usize) -> impl Strategy<Value = ContactCard> {
        let name = "[A-Za-zÀ-ÿ0-9 ,;:\"'=+@-]{0,14}".prop_map(|s| name_field("name", &s).unwrap());
        let label = prop_oneof![
            Just(""),
            Just("mobile"),
            Just("work"),
            Just("home"),
            Just("Main line")
        ];
        let phones = proptest::collection::vec(label.clone(), 1..=3);
        let emails = proptest::collection::vec(
            (label, "[A-Za-z0-9._+-]{1,8}", "[a-z]{1,8}\\.(com|fr)"),
            0..=2,
        );
        let tags = proptest::sample::subsequence((1..=5).map(TagId).collect::<Vec<_>>(), 0..=5);
        let properties = properties();
        let values = (
            proptest::option::of(proptest::sample::select(vec!["Basic", "Pro", "Enterprise"])),
            proptest::option::of("-?[0-9]{1,6}(\\.[0-9]{1,3})?"),
            proptest::option::of("(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"),
            proptest::option::of("https://[a-z]{1,8}\\.example/[a-z0-9?=&]{0,8}"),
            proptest::option::of("[A-Za-z0-9 ,;\"'=é]{1,12}(\r?\n[A-Za-z0-9 ,;\"é]{1,12}){0,2}"),
            proptest::option::of(any::<bool>()),
            proptest::option::of(proptest::sample::subsequence(
                vec!["SMS", "Voice", "E-mail"],
                0..=3,
            )),
            proptest::option::of("[A-Za-zé ,;\"'=+-]{1,16}"),
        );
        (
            name.clone(),
            name.clone(),
            name.clone(),
            name,
            phones,
            emails,
            tags,
            values,
        )
            .prop_map(
                move |(first, last, company, role, phones, emails, tags, values)| {
                    let mut card = card(index as i64);
                    card.first_name = first;
                    card.last_name = last;
                    card.company = company;
                    card.role = role;
                    card.phones = phones
                        .into_iter()
                        .enumerate()
                        .map(|(j, label)| phone(&format!("+1555{index:03}{j:04}"), label))
                        .collect();
                    card.emails = emails
                        .into_iter()
                        .enumerate()
                        .map(|(j, (label, local, domain))| ContactEmail {
                            address: format!("{local}{j}@{domain}"),
                            label: label.to_owned(),
                        })
                        .collect();
                    card.tags = tags;
                    let written = [
                        values.0.map(|v| json!(v)),
                        values.1.map(|v| json!(v)),
                        values.2.map(|v| json!(v)),
                        values.3.map(|v| json!(v)),
                        values.4.map(|v| json!(v)),
                        values.5.map(|v| json!(v)),
                        values.6.map(|v| json!(v)),
                        values.7.map(|v| json!(v)),
                    ];
                    // Stored as the server stores them: validated.
                    for (property, value) in properties.iter().zip(written) {
                        if let Some(Some(stored)) =
                            value.map(|v| validate_property_value(property, &v).unwrap())
                        {
                            card.properties.insert(property.key.clone(), stored);
                        }
                    }
                    card
                },
            )
    }

    fn cards_strategy() -> impl Strategy<Value = Vec<ContactCard>> {
        (0usize..6).prop_flat_map(|n| (0..n).map(card_strategy).collect::<Vec<_>>())
    }

    proptest! {
        #[test]
        fn an_export_imports_back_as_it_was(
            cards in cards_strategy(),
            separator in prop_oneof![Just(b','), Just(b';'), Just(b'\t')],
        ) {
            let tags = tags();
            let properties = properties();
            let bytes = write(&cards, &tags, &properties, separator);
            let parsed = read(&bytes, &properties, &ImportOptions::default()).unwrap();
            prop_assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
            prop_assert_eq!(parsed.rows.len(), cards.len());
            for (row, card) in parsed.rows.iter().zip(&cards) {
                prop_assert_eq!(&row.contact, &expected(card, &tags, &properties));
            }
        }

        #[test]
        fn any_bytes_give_an_answer_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = read(&bytes, &properties(), &ImportOptions::default());
        }

        #[test]
        fn any_text_gives_an_answer_not_a_panic(text in "[a-zA-Z ,;\t\"\r\n:+0-9@.'=-]{0,200}") {
            let text = format!("First name,Phone,Emails,Seats\n{text}");
            if let Ok(parsed) = read(text.as_bytes(), &properties(), &ImportOptions::default()) {
                // Every rejected row can be written back out.
                let _ = rejected_csv(&parsed.header, &parsed.rejected);
            }
        }
    }
}
