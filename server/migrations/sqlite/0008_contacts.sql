-- Contacts: the customers behind the numbers. What was `contacts` (a name and a number) becomes
-- `numbers`, what conversations are with; a number may belong to one contact, which has
-- several numbers, emails, tags, custom property values and notes. Named numbers become
-- contacts of their own (source 'switchboard'); unnamed ones stay unknown numbers.

ALTER TABLE contacts RENAME TO numbers;
ALTER TABLE conversations RENAME COLUMN contact_id TO number_id;

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    first_name TEXT,
    last_name TEXT,
    company TEXT,
    role TEXT,
    -- What lists show: kept by the server from the fields above.
    name TEXT NOT NULL,
    -- The name lowercased without accents, what lists sort by: kept by the server, NULL until
    -- it has indexed the contact (with its search terms), as those made here.
    sort_key TEXT,
    source TEXT NOT NULL,
    external_id TEXT,
    created_by INTEGER REFERENCES members (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contacts_by_name ON contacts (sort_key, id);
CREATE INDEX contacts_by_created ON contacts (created_at, id);
CREATE INDEX contacts_by_updated ON contacts (updated_at, id);
CREATE UNIQUE INDEX contacts_by_external_id ON contacts (source, external_id)
    WHERE external_id IS NOT NULL;

ALTER TABLE numbers ADD COLUMN contact_id INTEGER REFERENCES contacts (id);
ALTER TABLE numbers ADD COLUMN label TEXT NOT NULL DEFAULT 'mobile';
ALTER TABLE numbers ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
CREATE INDEX numbers_of_contact ON numbers (contact_id, position);

INSERT INTO contacts (id, first_name, last_name, name, source, created_at, updated_at)
SELECT id,
       CASE WHEN instr(name, ' ') > 0 THEN substr(name, 1, instr(name, ' ') - 1) ELSE name END,
       CASE WHEN instr(name, ' ') > 0 THEN substr(name, instr(name, ' ') + 1) END,
       name, 'switchboard', CAST(strftime('%s', 'now') AS INTEGER) * 1000,
       CAST(strftime('%s', 'now') AS INTEGER) * 1000
  FROM numbers WHERE name IS NOT NULL;
UPDATE numbers SET contact_id = id WHERE name IS NOT NULL;
ALTER TABLE numbers DROP COLUMN name;

-- Search terms: the words of a contact's names, company, role and emails, lowercased without
-- accents, and every ending of 3 digits or more of its numbers, so that a prefix search on
-- terms finds "ana", "acme" or "0100" anywhere.
CREATE TABLE contact_terms (
    term TEXT NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (term, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_terms_of_contact ON contact_terms (contact_id);

CREATE TABLE contact_emails (
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    position INTEGER NOT NULL,
    address TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (contact_id, position)
);

-- Names are unique whatever their case: `folded` is the lowercased name.
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    folded TEXT NOT NULL UNIQUE,
    colour TEXT NOT NULL
);

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    tag_id INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (contact_id, tag_id)
);
CREATE INDEX contact_tags_by_tag ON contact_tags (tag_id, contact_id);

-- Custom properties; `options` is a JSON list of the choices.
CREATE TABLE contact_properties (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    options TEXT NOT NULL,
    position INTEGER NOT NULL
);

-- A contact's value of a property, as JSON.
CREATE TABLE contact_values (
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    key TEXT NOT NULL REFERENCES contact_properties (key),
    value TEXT NOT NULL,
    PRIMARY KEY (contact_id, key)
);
CREATE INDEX contact_values_by_key ON contact_values (key, value);

-- `mentions` is a JSON list of member ids.
CREATE TABLE contact_notes (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    author_id INTEGER NOT NULL REFERENCES members (id),
    body TEXT NOT NULL,
    mentions TEXT NOT NULL,
    conversation_id INTEGER REFERENCES conversations (id),
    at BIGINT NOT NULL,
    edited_at BIGINT
);
CREATE INDEX contact_notes_of_contact ON contact_notes (contact_id, id);

CREATE TABLE contact_history (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    member_id INTEGER REFERENCES members (id),
    at BIGINT NOT NULL
);
CREATE INDEX contact_history_of_contact ON contact_history (contact_id, id);

-- A mention in a contact's note notifies like one in a conversation's note.
ALTER TABLE notifications ADD COLUMN contact_id INTEGER REFERENCES contacts (id);
