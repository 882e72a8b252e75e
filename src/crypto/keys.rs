//! The master key (from `TWOFOLD_MASTER_KEY` or generated into the data folder) and the
//! independent keys derived from it with HKDF-SHA256, one per purpose.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hkdf::Hkdf;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use zeroize::Zeroizing;

/// File name of a generated master key inside the data folder.
pub const MASTER_KEY_FILE: &str = "master.key";
/// The key `keys rotate-master` is about to make current, written before its transaction
/// and renamed over [`MASTER_KEY_FILE`] after it.
pub const NEXT_MASTER_KEY_FILE: &str = "master.key.next";

/// 32 secret bytes from which every server key is derived.
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(***)")
    }
}

/// The keys derived from the master key.
pub struct DerivedKeys {
    /// AES-256-GCM key for sealing secrets at rest.
    pub seal: Zeroizing<[u8; 32]>,
    /// HMAC-SHA256 key for hashing refresh and challenge tokens.
    pub token_hmac: Zeroizing<[u8; 32]>,
    /// Argon2 secret (pepper) for recovery codes.
    pub recovery_pepper: Zeroizing<[u8; 32]>,
}

impl MasterKey {
    /// Parses 32 bytes given in base64 (standard or URL-safe, padded or not).
    pub fn from_base64(text: &str) -> anyhow::Result<Self> {
        let text = text.trim();
        let bytes = Zeroizing::new(
            STANDARD
                .decode(text)
                .or_else(|_| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')))
                .context("TWOFOLD_MASTER_KEY is not valid base64")?,
        );
        let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
            anyhow::anyhow!("TWOFOLD_MASTER_KEY must be 32 bytes, got {}", bytes.len())
        })?;
        Ok(Self(Zeroizing::new(key)))
    }

    /// The configured key, or the one in `data_dir/master.key`, generating that file
    /// (mode 0600) with a warning when it does not exist yet.
    pub fn load_or_generate(
        configured: Option<&SecretString>,
        data_dir: &Path,
    ) -> anyhow::Result<Self> {
        if let Some(key) = configured {
            return Self::from_base64(key.expose_secret());
        }
        let path = data_dir.join(MASTER_KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                refuse_shared_file(&path)?;
                return Self::from_base64(&text)
                    .with_context(|| format!("reading master key from {}", path.display()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        }
        create_private_dir(data_dir)?;
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        let encoded = Zeroizing::new(STANDARD.encode(key.as_ref()));
        write_new_private_file(&path, encoded.as_bytes())?;
        tracing::warn!(
            path = %path.display(),
            "TWOFOLD_MASTER_KEY is not set: generated a new master key into the data folder; \
             back it up, since without it sealed secrets cannot be read"
        );
        Ok(Self(key))
    }

    /// The configured key, or the one in `data_dir/master.key`; an error when neither
    /// exists (the command line never generates a key).
    pub fn load_existing(
        configured: Option<&SecretString>,
        data_dir: &Path,
    ) -> anyhow::Result<Self> {
        if let Some(key) = configured {
            return Self::from_base64(key.expose_secret());
        }
        let path = data_dir.join(MASTER_KEY_FILE);
        let text = Zeroizing::new(std::fs::read_to_string(&path).with_context(|| {
            format!(
                "no master key: TWOFOLD_MASTER_KEY is not set and {} cannot be read",
                path.display()
            )
        })?);
        refuse_shared_file(&path)?;
        Self::from_base64(&text)
            .with_context(|| format!("reading master key from {}", path.display()))
    }

    /// Writes this key to `data_dir/master.key.next` (0600), replacing an older one.
    pub fn write_next(&self, data_dir: &Path) -> anyhow::Result<()> {
        let path = data_dir.join(NEXT_MASTER_KEY_FILE);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("removing {}", path.display()))
            }
            _ => {}
        }
        let encoded = Zeroizing::new(STANDARD.encode(self.0.as_ref()));
        write_new_private_file(&path, encoded.as_bytes())
    }

    /// Makes `master.key.next` the data folder's master key (an atomic rename).
    pub fn promote_next(data_dir: &Path) -> anyhow::Result<()> {
        let next = data_dir.join(NEXT_MASTER_KEY_FILE);
        let current = data_dir.join(MASTER_KEY_FILE);
        std::fs::rename(&next, &current)
            .with_context(|| format!("renaming {} to {}", next.display(), current.display()))?;
        Ok(())
    }

    /// Drops `master.key.next` (a rotation that did not happen).
    pub fn discard_next(data_dir: &Path) {
        let _ = std::fs::remove_file(data_dir.join(NEXT_MASTER_KEY_FILE));
    }

    /// The data folder's key files a running instance may catch up with: the one being
    /// made current, then the current one (whichever exist).
    pub fn load_data_dir_candidates(data_dir: &Path) -> Vec<Self> {
        [NEXT_MASTER_KEY_FILE, MASTER_KEY_FILE]
            .iter()
            .map(|name| data_dir.join(name))
            .filter(|path| refuse_shared_file(path).is_ok())
            .filter_map(|path| std::fs::read_to_string(path).ok().map(Zeroizing::new))
            .filter_map(|text| Self::from_base64(&text).ok())
            .collect()
    }

    /// Reads a key file (base64 of 32 bytes), e.g. the new key of `keys rotate-master`.
    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = Zeroizing::new(
            std::fs::read_to_string(path)
                .with_context(|| format!("reading key file {}", path.display()))?,
        );
        Self::from_base64(&text).with_context(|| format!("key file {}", path.display()))
    }

    /// Derives the purpose keys (HKDF-SHA256, distinct `info` per purpose).
    pub fn derive(&self) -> DerivedKeys {
        let hk = Hkdf::<Sha256>::new(Some(b"twofold/v1"), self.0.as_ref());
        let expand = |info: &[u8]| {
            let mut out = Zeroizing::new([0u8; 32]);
            hk.expand(info, out.as_mut())
                .expect("32 bytes is a valid HKDF-SHA256 output length");
            out
        };
        DerivedKeys {
            seal: expand(b"seal/aes-256-gcm"),
            token_hmac: expand(b"token/hmac-sha256"),
            recovery_pepper: expand(b"recovery/argon2-secret"),
        }
    }

    /// A fresh random key, base64-encoded (for `twofold gen-key` and tests).
    pub fn generate_base64() -> String {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        STANDARD.encode(key.as_ref())
    }
}

/// Creates `path` exclusively with mode 0600 and writes `contents`.
fn write_new_private_file(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(contents)?;
    file.sync_all()?;
    Ok(())
}

/// Creates `dir` (and missing parents) with mode 0700; an existing folder is left as is.
pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("creating data folder {}", dir.display()))
}

/// Refuses a key file that group or others may read or write.
fn refuse_shared_file(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .with_context(|| format!("reading {}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            anyhow::bail!(
                "{} is readable by group or others (mode {:o}); run `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_keys_are_distinct_and_deterministic() {
        let b64 = MasterKey::generate_base64();
        let a = MasterKey::from_base64(&b64).unwrap().derive();
        let b = MasterKey::from_base64(&b64).unwrap().derive();
        assert_eq!(*a.seal, *b.seal);
        assert_ne!(*a.seal, *a.token_hmac);
        assert_ne!(*a.token_hmac, *a.recovery_pepper);
    }

    #[test]
    fn rejects_wrong_length_and_garbage() {
        assert!(MasterKey::from_base64("AAAA").is_err());
        assert!(MasterKey::from_base64("not base64 !!").is_err());
    }

    #[test]
    fn generated_key_file_is_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let k1 = MasterKey::load_or_generate(None, dir.path()).unwrap();
        let k2 = MasterKey::load_or_generate(None, dir.path()).unwrap();
        assert_eq!(*k1.derive().seal, *k2.derive().seal);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(MASTER_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
