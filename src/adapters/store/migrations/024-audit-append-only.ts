import type { Migration } from '../migrate.js';

// The audit log is evidence: a row, once written, is never edited. Only the retention prune
// deletes, and only rows older than the configured time (it says what it removed).
export const migration024: Migration = {
  version: 24,
  name: 'audit-append-only',
  sql: `
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE INDEX audit_at ON audit (at);
`,
  postgres: `
CREATE FUNCTION audit_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_no_update();
CREATE INDEX audit_at ON audit (at);
`,
};
