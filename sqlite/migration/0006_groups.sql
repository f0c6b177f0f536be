-- Groups in a sales team (组): a staff member's manager (组长). Managers see their group's leads.
ALTER TABLE users ADD COLUMN manager_id INTEGER REFERENCES users (id);
CREATE INDEX users_manager_idx ON users (manager_id);
