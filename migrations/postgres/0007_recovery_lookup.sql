-- A keyed lookup tag beside each recovery code's Argon2id hash (issue 18): 16 bits of an
-- HMAC of the user and the code, distinct within a batch, so a code typed is hashed
-- against at most the one stored code with its tag, and a wrong code whose tag matches
-- none costs no hash at all. Sixteen bits narrow the search without revealing the code:
-- even with the server's keys, 2^25 candidates per code remain for Argon2. Codes issued
-- before this migration have no tag and are checked as before until regenerated.
ALTER TABLE recovery_codes ADD COLUMN lookup BIGINT;
