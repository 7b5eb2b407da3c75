-- A search checks a word against each contact it walks past in the list's order: with the term
-- in the index of a contact's terms, that check reads the index alone.
DROP INDEX contact_terms_of_contact;
CREATE INDEX contact_terms_of_contact ON contact_terms (contact_id, term);
