-- The master key version that wrapped each data key (see keyring), so that a rotation finds the
-- keys still to rewrap and a version is retired only once no key uses it. Every key stored so
-- far was wrapped by the only key there was: version 1. NULL: no key (an erased account).
ALTER TABLE users ADD COLUMN key_version INTEGER;
ALTER TABLE teams ADD COLUMN key_version INTEGER;
UPDATE users SET key_version = 1 WHERE wrapped_key IS NOT NULL;
UPDATE teams SET key_version = 1 WHERE wrapped_key IS NOT NULL;
