-- A project file as Headroom schema version 1 wrote it (before the metric tables).
-- Regenerate the binary fixture with: sqlite3 tests/data/shop-v1.headroom < tests/data/shop-v1.sql
PRAGMA application_id = 1213353265;
CREATE TABLE schema_version (
    application TEXT NOT NULL,
    version     INTEGER NOT NULL
);
CREATE TABLE project (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    description TEXT NOT NULL
);
CREATE TABLE zone (
    position INTEGER NOT NULL,
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    parent   TEXT NOT NULL,
    x REAL NOT NULL, y REAL NOT NULL, width REAL NOT NULL, height REAL NOT NULL
);
CREATE TABLE component (
    position INTEGER NOT NULL,
    id       TEXT PRIMARY KEY,
    kind     TEXT NOT NULL,
    name     TEXT NOT NULL,
    zone     TEXT NOT NULL,
    x REAL NOT NULL, y REAL NOT NULL
);
CREATE TABLE component_property (
    component_id TEXT NOT NULL REFERENCES component(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    type         TEXT NOT NULL,
    value,
    PRIMARY KEY (component_id, key)
);
CREATE TABLE link (
    position          INTEGER NOT NULL,
    id                TEXT PRIMARY KEY,
    from_id           TEXT NOT NULL,
    to_id             TEXT NOT NULL,
    kind              TEXT NOT NULL,
    calls_per_request REAL NOT NULL,
    only_on_miss      INTEGER NOT NULL
);
INSERT INTO schema_version VALUES ('headroom', 1);
INSERT INTO project VALUES (1, 'Shop v1', 'Saved by schema version 1');
INSERT INTO zone VALUES (0, 'dc', 'Data centre', 'region', '', 10.0, 20.0, 600.0, 300.0);
INSERT INTO component VALUES (0, 'users', 'client', 'Users', '', 100.0, 150.0);
INSERT INTO component VALUES (1, 'web', 'service', 'Web clones', 'dc', 350.0, 150.0);
INSERT INTO component_property VALUES ('users', 'arrival_rate_rps', 'number', 250.5);
INSERT INTO component_property VALUES ('web', 'replicas', 'integer', 4);
INSERT INTO component_property VALUES ('web', 'stateless', 'boolean', 0);
INSERT INTO component_property VALUES ('web', 'session_store', 'text', 'local_memory');
INSERT INTO link VALUES (0, 'users-web', 'users', 'web', 'sync_call', 1.0, 0);
