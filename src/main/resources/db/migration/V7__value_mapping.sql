-- Value mappings an operator maintains at run time (issue 4: "mapping added -> replay -> resolved"): a code of the
-- hub (legal entity, ISO currency, later item and tax codes) -> the id a target system knows it by, per system and
-- kind. Seeded from configuration at start-up; rows an operator set or removed win over configuration.
CREATE TABLE value_mapping (
    system      TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    code        TEXT        NOT NULL,
    -- NULL: an operator removed the mapping. The row stays so that configuration does not bring it back.
    target      TEXT,
    origin      TEXT        NOT NULL CHECK (origin IN ('config', 'operator')),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by  TEXT        NOT NULL,
    CONSTRAINT value_mapping_pk PRIMARY KEY (system, kind, code)
);

-- Who changed which mapping when, from what to what.
CREATE TABLE value_mapping_history (
    id          BIGSERIAL   PRIMARY KEY,
    system      TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    code        TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL CHECK (action IN ('SEEDED', 'SET', 'REMOVED')),
    old_target  TEXT,
    new_target  TEXT
);
CREATE INDEX value_mapping_history_code ON value_mapping_history (system, kind, code, at);
