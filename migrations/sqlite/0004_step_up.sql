-- Step-up (FACTORS.md): when the session last proved who the person is (the login that
-- created it, or a later POST /auth/step-up). Sessions made before this migration count
-- from their creation.
ALTER TABLE sessions ADD COLUMN auth_time BIGINT;
UPDATE sessions SET auth_time = created_at;
