//! Online backups of the SQLite database through SQLite's backup API (rusqlite), and the
//! path of an SQLite URL.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::Context;

/// The database file an SQLite URL (or bare path) names; `None` for PostgreSQL.
pub fn sqlite_file(url: &str) -> anyhow::Result<Option<PathBuf>> {
    match super::Backend::of(url)? {
        super::Backend::Postgres => Ok(None),
        #[cfg(feature = "sqlite")]
        super::Backend::Sqlite(url) => {
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
                .context("parsing the SQLite URL")?;
            Ok(Some(options.get_filename().to_path_buf()))
        }
    }
}

/// Copies the live database `source` into the new file `dest` (mode 0600) in one step of
/// the backup API: one read transaction, so the copy is consistent while writers go on
/// (WAL readers do not block them).
pub fn backup(source: &Path, dest: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        source.exists(),
        "the database {} does not exist",
        source.display()
    );
    anyhow::ensure!(
        !dest.exists(),
        "{} exists already: choose a new file",
        dest.display()
    );
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    open.open(dest)
        .with_context(|| format!("creating {}", dest.display()))?;
    let result = (|| -> anyhow::Result<()> {
        let src = rusqlite::Connection::open_with_flags(
            source,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("opening {}", source.display()))?;
        src.busy_timeout(std::time::Duration::from_secs(10))?;
        let mut dst = rusqlite::Connection::open(dest)
            .with_context(|| format!("opening {}", dest.display()))?;
        let backup = rusqlite::backup::Backup::new(&src, &mut dst)?;
        backup
            .run_to_completion(i32::MAX, std::time::Duration::from_millis(50), None)
            .context("copying the database")?;
        drop(backup);
        // A self-contained file: no WAL beside it.
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        let check: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        anyhow::ensure!(check == "ok", "the copy fails its integrity check: {check}");
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    result
}
