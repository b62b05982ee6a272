-- Update campaigns, embedded SQLite backend. Mirrors migrations/postgres/0004_campaigns.sql.
-- A campaign asks every organisation of a territory, by e-mail, to confirm or correct its
-- entries through a personal link. Links are stored as the SHA-256 of their token only.
-- Timestamps are RFC 3339 text in UTC; days are `YYYY-MM-DD` text; JSON is text.

CREATE TABLE campaign (
    id                  TEXT PRIMARY KEY,
    title               TEXT NOT NULL,
    -- A JSON array of ISTAT codes; empty: the whole territory.
    comuni              TEXT NOT NULL,
    period_from         TEXT NOT NULL,
    period_until        TEXT NOT NULL,
    opened_by           TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    sent_at             TEXT,
    closed_at           TEXT,
    -- Days after sending (or the last reminder) before the unanswered are reminded.
    remind_every_days   INTEGER
);

-- One organisation asked by one campaign: its address when it had one (`no_address`
-- otherwise), and the comuni of its sportelli then, for the progress per comune.
CREATE TABLE campaign_recipient (
    campaign_id     TEXT NOT NULL REFERENCES campaign (id),
    organization_id TEXT NOT NULL,
    email           TEXT,
    comuni          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN
                        ('no_address', 'waiting', 'sent', 'reminded', 'answered', 'bounced')),
    sent_at         TEXT,
    reminded_at     TEXT,
    answered_at     TEXT,
    -- `unchanged` or `changed`, with what was asked in `answer_detail` (JSON).
    answer          TEXT CHECK (answer IN ('unchanged', 'changed')),
    answer_detail   TEXT,
    PRIMARY KEY (campaign_id, organization_id)
);

-- A personal link: the hash of its token, for one campaign and one organisation.
CREATE TABLE campaign_link (
    token_hash      TEXT PRIMARY KEY,
    campaign_id     TEXT NOT NULL REFERENCES campaign (id),
    organization_id TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    revoked_at      TEXT,
    used_at         TEXT
);
CREATE INDEX campaign_link_recipient ON campaign_link (campaign_id, organization_id);
