//! Chart archives (`.tgz`): the top-level chart given as a file, and `charts/*.tgz` subcharts.
//!
//! Mirrors Helm's `archive.LoadArchiveFiles`: the first path element (the chart's directory
//! inside the archive) is dropped, paths are cleaned and must stay inside the chart, a UTF-8
//! BOM is stripped from every file, and `.helmignore` is *not* applied (Helm never reads it
//! from archives).

use std::io::Read;

use super::load::BufferedFile;
use super::ChartError;

/// Helm's `MaxDecompressedChartSize` (100 MiB, all files together).
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Read every regular file out of a gzipped tar, decompressing at most `remaining` bytes
/// (decremented: one budget is shared by an archive and the subchart archives inside it).
pub fn load_archive_files(data: &[u8], remaining: &mut u64) -> Result<Vec<BufferedFile>, ChartError> {
    let gz = flate2::read::GzDecoder::new(data);
    if gz.header().is_none() {
        return Err(ChartError::msg("gzip: invalid header"));
    }
    let mut archive = tar::Archive::new(gz);
    let entries = archive.entries().map_err(|e| ChartError::msg(io_message(&e)))?;
    let mut files = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|e| ChartError::msg(io_message(&e)))?;
        let kind = entry.header().entry_type();
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        // Links, devices and FIFOs carry no data. Helm keeps them as empty files; they are
        // dropped here so that nothing in a chart ever names another file (nothing is
        // extracted to disk either way).
        use tar::EntryType as T;
        if matches!(kind, T::Link | T::Symlink | T::Char | T::Block | T::Fifo) {
            continue;
        }
        // Old-style tars mark directories only by a trailing slash.
        if raw_name.ends_with('/') && (kind.is_file() || kind == tar::EntryType::Regular) {
            continue;
        }
        let name = chart_relative_name(&raw_name)?;
        let size = entry.header().size().unwrap_or(0);
        if size > *remaining {
            return Err(too_large());
        }
        let mut data = Vec::with_capacity(size.min(*remaining) as usize);
        (&mut entry)
            .take(remaining.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| ChartError::msg(io_message(&e)))?;
        let written = data.len() as u64;
        if written > *remaining || written < size {
            return Err(too_large());
        }
        *remaining -= written;
        if data.starts_with(UTF8_BOM) {
            data.drain(..UTF8_BOM.len());
        }
        files.push(BufferedFile { name, data });
    }
    if files.is_empty() {
        return Err(ChartError::msg("no files in chart archive"));
    }
    Ok(files)
}

fn too_large() -> ChartError {
    ChartError::msg(format!("decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"))
}

/// The tar crate quotes header bytes in some errors (`numeric field was not a number: ...`):
/// control characters from the archive are escaped.
fn io_message(e: &std::io::Error) -> String {
    crate::report::escape_controls(&e.to_string()).into_owned()
}

/// Drop the archive's top directory and apply Helm's path-safety checks.
fn chart_relative_name(raw: &str) -> Result<String, ChartError> {
    // Archives made on Windows may use backslashes.
    let delimiter = if raw.contains('\\') { '\\' } else { '/' };
    let parts: Vec<&str> = raw.split(delimiter).collect();
    let joined = parts[1..].join("/");
    if joined.starts_with('/') {
        return Err(ChartError::msg("chart illegally contains absolute paths"));
    }
    let cleaned = go_path_clean(&joined);
    if cleaned == "." {
        return Err(ChartError::msg(format!("chart illegally contains content outside the base directory: {raw:?}")));
    }
    if cleaned.starts_with("..") {
        return Err(ChartError::msg("chart illegally references parent directory"));
    }
    let b = cleaned.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        return Err(ChartError::msg("chart contains illegally named files"));
    }
    if parts[0] == "Chart.yaml" {
        return Err(ChartError::msg("chart yaml not in base directory"));
    }
    Ok(cleaned)
}

/// Go's `path.Clean` for relative paths.
pub fn go_path_clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|p| *p != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            p => out.push(p),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// `http.DetectContentType` is only consulted for the gzip signature here: Helm accepts a file
/// as an archive when it sniffs as gzip, and otherwise explains what it got.
pub fn ensure_archive(display_name: &str, head: &[u8]) -> Result<(), ChartError> {
    if head.starts_with(b"\x1F\x8B\x08") {
        return Ok(());
    }
    if display_name.ends_with(".yml") || display_name.ends_with(".yaml") {
        return Err(ChartError::msg(format!(
            "file '{display_name}' seems to be a YAML file, but expected a gzipped archive"
        )));
    }
    Err(ChartError::msg(format!(
        "file '{display_name}' does not appear to be a gzipped archive; got '{}'",
        sniff_content_type(head)
    )))
}

/// The few answers of Go's `http.DetectContentType` a non-archive chart path plausibly gets.
fn sniff_content_type(head: &[u8]) -> &'static str {
    let head = &head[..head.len().min(512)];
    if head.is_empty() {
        return "text/plain; charset=utf-8";
    }
    if head.starts_with(b"PK\x03\x04") {
        return "application/zip";
    }
    let binary = head.iter().any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | 0x1B));
    if binary {
        "application/octet-stream"
    } else {
        "text/plain; charset=utf-8"
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Build a .tgz in memory from (path, contents) pairs.
    pub fn tgz(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast()));
        for (path, data) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, path, *data).unwrap_or_else(|e| panic!("{e}"));
        }
        let gz = builder.into_inner().unwrap_or_else(|e| panic!("{e}"));
        gz.finish().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn strips_top_dir_and_bom() {
        let data = tgz(&[("mychart/Chart.yaml", b"\xEF\xBB\xBFname: x\n"), ("mychart/templates/a.yaml", b"a")]);
        let files = load_archive_files(&data, &mut MAX_DECOMPRESSED_CHART_SIZE.clone()).unwrap_or_default();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Chart.yaml", "templates/a.yaml"]);
        assert_eq!(files[0].data, b"name: x\n");
    }

    // Helm archive.go checks (messages from pkg/chart/loader/archive).
    #[test]
    fn path_checks() {
        assert_eq!(
            chart_relative_name("x/../../etc").err().map(|e| e.to_string()).as_deref(),
            Some("chart illegally references parent directory")
        );
        assert_eq!(
            chart_relative_name("Chart.yaml").err().map(|e| e.to_string()).as_deref(),
            Some("chart illegally contains content outside the base directory: \"Chart.yaml\"")
        );
        assert_eq!(
            chart_relative_name("x/c:/foo").err().map(|e| e.to_string()).as_deref(),
            Some("chart contains illegally named files")
        );
        assert_eq!(
            chart_relative_name("x//abs").err().map(|e| e.to_string()).as_deref(),
            Some("chart illegally contains absolute paths")
        );
        assert_eq!(chart_relative_name("win\\templates\\a.yaml").ok().as_deref(), Some("templates/a.yaml"));
        assert_eq!(go_path_clean("a/./b/../c"), "a/c");
    }

    #[test]
    fn not_gzip() {
        assert_eq!(
            load_archive_files(b"hello", &mut 100).err().map(|e| e.to_string()).as_deref(),
            Some("gzip: invalid header")
        );
        assert!(ensure_archive("x.yaml", b"a: 1").is_err());
        assert_eq!(
            ensure_archive("x", b"hello").err().map(|e| e.to_string()).as_deref(),
            Some("file 'x' does not appear to be a gzipped archive; got 'text/plain; charset=utf-8'")
        );
    }

    // Link entries carry no data and are dropped (nothing in a chart names another file).
    #[test]
    fn link_entries_are_ignored() {
        let mut builder = tar::Builder::new(Vec::new());
        for (kind, name) in [(tar::EntryType::Symlink, "c/values.yaml"), (tar::EntryType::Link, "c/templates/h.yaml")] {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(kind);
            header.set_size(0);
            header.set_mode(0o777);
            builder.append_link(&mut header, name, "/etc/passwd").unwrap_or_else(|e| panic!("{e}"));
        }
        let mut header = tar::Header::new_gnu();
        header.set_size(2);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, "c/Chart.yaml", &b"a:"[..]).unwrap_or_else(|e| panic!("{e}"));
        let tar = builder.into_inner().unwrap_or_else(|e| panic!("{e}"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap_or_else(|e| panic!("{e}"));
        let data = gz.finish().unwrap_or_else(|e| panic!("{e}"));
        let files = load_archive_files(&data, &mut MAX_DECOMPRESSED_CHART_SIZE.clone()).unwrap_or_default();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Chart.yaml"]);
    }

    // The tar crate quotes header bytes in errors: control characters come out escaped.
    #[test]
    fn header_errors_escape_control_characters() {
        let mut block = [0u8; 512];
        block[..12].copy_from_slice(b"c/Chart.yaml");
        block[100..108].copy_from_slice(b"0000644\0");
        block[124..128].copy_from_slice(b"\x1b[2J");
        block[156] = b'0';
        block[148..156].copy_from_slice(b"        ");
        let sum: u32 = block.iter().map(|&b| b as u32).sum();
        block[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        let mut tar = block.to_vec();
        tar.extend_from_slice(&[0u8; 1024]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap_or_else(|e| panic!("{e}"));
        let data = gz.finish().unwrap_or_else(|e| panic!("{e}"));
        let e = load_archive_files(&data, &mut 1000).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("\\u{1b}[2J"), "{e:?}");
        assert!(!e.contains('\x1b'), "{e:?}");
    }
}
