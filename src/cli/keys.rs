//! `gen-key` and `keys`: making a master key, and rotating the signing key or the master
//! key of an installation. Rotating the master key is the one command that handles key
//! files itself (running instances follow the data folder's `master.key`), so the order of
//! its steps around the re-sealing transaction is spelled out here.

use std::path::PathBuf;

use clap::Subcommand;

use super::open;
use crate::config::Settings;
use crate::crypto::keys::MasterKey;
use crate::service::operate;

/// The `keys` subcommands.
#[derive(Subcommand)]
pub(super) enum KeysCommand {
    /// A new Ed25519 signing key becomes current; the previous public key stays in the
    /// JWKS until every token it signed has expired.
    RotateSigning,
    /// Re-seal every sealed value under the master key in FILE (base64 of 32 bytes), in
    /// one transaction. Afterwards the service needs the new key.
    RotateMaster {
        /// File holding the new master key (`twofold gen-key > FILE`).
        #[arg(long)]
        new_key_file: PathBuf,
    },
}

/// `gen-key`: prints a fresh random master key (base64).
pub(super) fn gen_key() -> anyhow::Result<()> {
    println!("{}", MasterKey::generate_base64());
    Ok(())
}

/// Runs a `keys` subcommand on the configured database.
pub(super) async fn run(settings: Settings, command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::RotateSigning => {
            let state = open(settings).await?;
            let rotation = operate::rotate_signing(&state).await?;
            println!(
                "new signing key {} is current; the previous one stays in the JWKS for {} s; {} expired key(s) dropped",
                rotation.new_kid, state.settings.access_token_ttl, rotation.dropped
            );
            Ok(())
        }
        KeysCommand::RotateMaster { new_key_file } => {
            let new = MasterKey::from_file(&new_key_file)?;
            let current =
                MasterKey::load_existing(settings.master_key.as_ref(), &settings.data_dir)?;
            // With the data folder's key file, running instances catch up by
            // themselves: the new key is written beside it first, and becomes
            // `master.key` once the transaction is committed.
            let key_file = settings.master_key.is_none();
            let data_dir = settings.data_dir.clone();
            let state = open(settings).await?;
            if key_file {
                new.write_next(&data_dir)?;
            }
            let rotation = operate::rotate_master(&state, &current, &new).await;
            let rotation = match rotation {
                Ok(rotation) => rotation,
                Err(e) => {
                    if key_file {
                        MasterKey::discard_next(&data_dir);
                    }
                    return Err(e);
                }
            };
            if key_file {
                MasterKey::promote_next(&data_dir)?;
                println!(
                    "re-sealed {} value(s) under master key id {}; {} now holds the new key and running instances switch to it by themselves",
                    rotation.resealed,
                    rotation.new_key_id,
                    data_dir.join(crate::crypto::keys::MASTER_KEY_FILE).display()
                );
            } else {
                println!(
                    "re-sealed {} value(s) under master key id {}; set TWOFOLD_MASTER_KEY to the new key and restart each instance",
                    rotation.resealed, rotation.new_key_id
                );
            }
            Ok(())
        }
    }
}
