-- Update campaigns, PostgreSQL backend. Mirrors migrations/sqlite/0004_campaigns.sql.
-- A campaign asks every organisation of a territory, by e-mail, to confirm or correct its
-- entries through a personal link. Links are stored as the SHA-256 of their token only.
-- Days are `YYYY-MM-DD` text on both backends (compared as text, which is date order).

CREATE TABLE campaign (
    id                  text PRIMARY KEY,
    title               text NOT NULL,
    -- A JSON array of ISTAT codes; empty: the whole territory.
    comuni              jsonb NOT NULL,
    period_from         text NOT NULL,
    period_until        text NOT NULL,
    opened_by           text NOT NULL,
    created_at          timestamptz NOT NULL,
    sent_at             timestamptz,
    closed_at           timestamptz,
    -- Days after sending (or the last reminder) before the unanswered are reminded.
    remind_every_days   bigint
);

-- One organisation asked by one campaign: its address when it had one (`no_address`
-- otherwise), and the comuni of its sportelli then, for the progress per comune.
CREATE TABLE campaign_recipient (
    campaign_id     text NOT NULL REFERENCES campaign (id),
    organization_id text NOT NULL,
    email           text,
    comuni          jsonb NOT NULL,
    state           text NOT NULL CHECK (state IN
                        ('no_address', 'waiting', 'sent', 'reminded', 'answered', 'bounced')),
    sent_at         timestamptz,
    reminded_at     timestamptz,
    answered_at     timestamptz,
    -- `unchanged` or `changed`, with what was asked in `answer_detail` (JSON).
    answer          text CHECK (answer IN ('unchanged', 'changed')),
    answer_detail   jsonb,
    PRIMARY KEY (campaign_id, organization_id)
);

-- A personal link: the hash of its token, for one campaign and one organisation.
CREATE TABLE campaign_link (
    token_hash      text PRIMARY KEY,
    campaign_id     text NOT NULL REFERENCES campaign (id),
    organization_id text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    used_at         timestamptz
);
CREATE INDEX campaign_link_recipient ON campaign_link (campaign_id, organization_id);
