//! The one way plimsoll reads an input file: regular files only, and never more than the
//! `--max-file-size` limit whatever the file's metadata claims.
//!
//! Every read of input (manifests, chart files, archives, `-f`/`--set-file`, `--crd`,
//! `--rules`, config, baseline) goes through [`read`]. FIFOs, sockets and devices are refused
//! before they are opened (opening a FIFO blocks; `/dev/zero` never ends), and the read itself
//! is bounded because metadata can lie (a file that grows, `/proc` files of length 0).

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Files above this size are refused unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;

// Process-wide because the limit applies to reads deep inside chart loading and rendering;
// threading it through every loader API would add a parameter to dozens of functions. Set
// once per run by `app::check`, before any read.
static LIMIT: AtomicU64 = AtomicU64::new(DEFAULT_MAX_FILE_SIZE);

/// Set the byte limit for every later [`read`].
pub fn set_limit(bytes: u64) {
    LIMIT.store(bytes, Ordering::Relaxed);
}

pub fn limit() -> u64 {
    LIMIT.load(Ordering::Relaxed)
}

#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file (after following symlinks): never opened.
    NotRegular(&'static str),
    /// More bytes than the limit (read up to limit + 1, then stopped).
    TooLarge {
        limit: u64,
    },
    Io(std::io::Error),
}

impl ReadError {
    /// The I/O error kind, for callers that word errors like Go does.
    pub fn io(&self) -> Option<&std::io::Error> {
        match self {
            ReadError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "not a regular file ({kind}); skipped, never opened"),
            ReadError::TooLarge { limit } => {
                write!(f, "file is above the {} MiB limit (--max-file-size); skipped", limit >> 20)
            }
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// What kind of non-regular file this is, in words.
pub fn kind_name(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
    }
    if t.is_dir() {
        return "directory";
    }
    if t.is_symlink() {
        return "symlink";
    }
    if t.is_file() {
        return "regular file";
    }
    "special file"
}

/// Read a regular file (symlinks followed), bounded by the run's limit.
pub fn read(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_limited(path, limit())
}

/// [`read`] as UTF-8 text (invalid UTF-8 is an `InvalidData` I/O error, like `fs::read_to_string`).
pub fn read_to_string(path: &Path) -> Result<String, ReadError> {
    let bytes = read(path)?;
    String::from_utf8(bytes).map_err(|_| {
        ReadError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
    })
}

/// Read a regular file, at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_name(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let file = open_nonblocking(path).map_err(ReadError::Io)?;
    // The path may have been swapped between the check and the open: check what was opened.
    let opened = file.metadata().map_err(ReadError::Io)?;
    if !opened.is_file() {
        return Err(ReadError::NotRegular(kind_name(opened.file_type())));
    }
    let mut data = Vec::with_capacity(opened.len().min(limit) as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut data).map_err(ReadError::Io)?;
    if data.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(data)
}

/// Open read-only; on Unix with `O_NONBLOCK`, so that a FIFO swapped in after the type check
/// cannot block the open (the type is checked again on the open handle). Regular-file reads
/// ignore the flag.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("a.yaml");
        std::fs::write(&p, "abcd").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_limited(&p, 4).ok().as_deref(), Some(&b"abcd"[..]));
        assert!(matches!(read_limited(&p, 3), Err(ReadError::TooLarge { limit: 3 })));
        assert!(matches!(read_limited(dir.path(), 10), Err(ReadError::NotRegular("directory"))));
        assert!(matches!(read_limited(&dir.path().join("nope"), 10), Err(ReadError::Io(_))));
    }

    // /dev/zero claims length 0 and never ends: refused by type, before any open.
    #[cfg(unix)]
    #[test]
    fn devices_and_links_to_them_are_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let link = dir.path().join("x.yaml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(read_limited(&link, 10), Err(ReadError::NotRegular("character device"))));
    }

    // /proc files report length 0 but have content: the bounded read still stops at the limit.
    #[cfg(target_os = "linux")]
    #[test]
    fn read_is_bounded_when_metadata_says_zero() {
        let p = Path::new("/proc/self/maps");
        if let Ok(m) = std::fs::metadata(p) {
            assert_eq!(m.len(), 0);
            assert!(matches!(read_limited(p, 5), Err(ReadError::TooLarge { limit: 5 })));
        }
    }
}
