//! The HTTP test suite: one binary, each test with its own app and database.

mod accounts;
mod authenticator;
mod compat;
mod crash;
mod durability;
mod edge;
mod factors;
mod guessing;
mod hardening;
mod helpers;
mod input;
mod logs;
mod mfa;
mod multi_instance;
mod openapi;
mod operate;
mod ops_process;
mod pages;
mod passkeys;
mod sessions;
mod stepup;
mod store;
mod tokens;
mod trusted;
mod upgrade;
