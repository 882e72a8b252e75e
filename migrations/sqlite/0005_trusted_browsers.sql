-- Trusted browsers (FACTORS.md, `remember_device_days`): a device token may also be
-- trusted for MFA until `mfa_trusted_until`; `id` names it for `DELETE /devices/{id}`.
-- A later login carries the trust (and the id) over to the device token it issues.
ALTER TABLE device_tokens ADD COLUMN id TEXT;
ALTER TABLE device_tokens ADD COLUMN mfa_trusted_until BIGINT;
