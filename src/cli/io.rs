//! File input and output shared by the subcommands.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use vpc::diag::Diagnostic;
use vpc::diag::render::{Format, render};

use super::{ColorChoice, MessageFormat};

/// The largest source file `vpcc` reads. Spans are `u32` byte offsets, and a
/// real .vpc file is kilobytes; the cap also keeps `vpcc check /dev/zero`
/// from reading until memory runs out.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a source file. Errors are reported as `vpcc: cannot read ...` and
/// mean exit 2.
///
/// A UTF-8 byte-order mark at the start is dropped, as editors and rustc
/// do, so that columns match what an editor shows (byte offsets in JSON
/// output count from after the mark).
///
/// `-` is standard input, as everywhere a file is read (write `./-` for a
/// file of that name). A FIFO is read like a file if it has a writer
/// (`vpcc check <(gen)`); one with no writer is an error at once, not a
/// wait (see [`open_source`]).
pub fn read_source(path: &Path) -> Result<String, String> {
    if path.as_os_str() == "-" {
        return read_stdin_source();
    }
    let cannot = |why: String| format!("cannot read `{}`: {why}", path.display());
    if path.is_dir() {
        return Err(cannot("it is a directory".into()));
    }
    let file = open_source(path).map_err(|e| cannot(lower_first(&e.to_string())))?;
    let fifo = is_fifo(&file);
    let text = read_capped(&file, MAX_SOURCE_BYTES).map_err(cannot)?;
    if fifo && text.is_empty() {
        return Err(cannot(
            "it is a FIFO with no writer (nothing was written to it)".into(),
        ));
    }
    Ok(text)
}

/// Opens a file for reading without blocking in `open`: a FIFO with no
/// writer would otherwise block it forever (issue 21 item 8). The flag is
/// cleared once the file is open, so reading a pipe that has a writer
/// (`vpcc check <(gen)`) waits for its data as before, and reading one
/// with no writer ends at once with nothing.
#[cfg(unix)]
fn open_source(path: &Path) -> std::io::Result<std::fs::File> {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    let flags = fcntl_getfl(&file)?;
    fcntl_setfl(&file, flags - OFlags::NONBLOCK)?;
    Ok(file)
}

#[cfg(not(unix))]
fn open_source(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(unix)]
fn is_fifo(file: &std::fs::File) -> bool {
    use std::os::unix::fs::FileTypeExt;
    file.metadata().is_ok_and(|m| m.file_type().is_fifo())
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::File) -> bool {
    false
}

/// Reads a source from standard input (`-`), with the same cap and checks as
/// [`read_source`].
pub fn read_stdin_source() -> Result<String, String> {
    read_capped(std::io::stdin().lock(), MAX_SOURCE_BYTES)
        .map_err(|why| format!("cannot read standard input: {why}"))
}

/// Reads at most `cap` bytes of UTF-8 text; more is an error, never an
/// allocation of what the input announces. A leading byte-order mark is
/// dropped. The error is the reason only, for the caller to prefix.
pub fn read_capped(reader: impl std::io::Read, cap: u64) -> Result<String, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| lower_first(&e.to_string()))?;
    if bytes.len() as u64 > cap {
        return Err(format!("it is larger than {} MiB", cap / (1024 * 1024)));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        format!("it is not UTF-8 text (invalid byte at offset {offset})")
    })?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(text)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Prints a usage or I/O problem to stderr.
pub fn error(message: &str) {
    let _ = writeln!(std::io::stderr(), "vpcc: error: {message}");
}

/// Whether to colour stderr: `--color`, then `NO_COLOR`, then whether it is
/// a terminal.
pub fn stderr_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

/// Renders diagnostics of one file: human and short go to stderr, json to
/// stdout (it is the command's output then).
pub fn emit_diagnostics(
    format: MessageFormat,
    color: bool,
    path: &Path,
    src: &str,
    diagnostics: &[Diagnostic],
) {
    if diagnostics.is_empty() {
        // Nothing to print; the renderer would still index the whole file.
        return;
    }
    let name = display_name(path);
    let (fmt, to_stdout) = match format {
        MessageFormat::Human => (Format::Human, false),
        MessageFormat::Short => (Format::Short, false),
        MessageFormat::Json => (Format::Json, true),
        // A SARIF log covers every file of the run, so `check` gathers the
        // diagnostics and prints the log itself; per file, nothing.
        MessageFormat::Sarif => return,
    };
    let text = render(fmt, &name, src, diagnostics, color && !to_stdout);
    if to_stdout {
        let _ = std::io::stdout().write_all(text.as_bytes());
    } else {
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
}

/// The path as the user wrote it.
pub fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "<stdin>".to_string();
    }
    path.display().to_string()
}

/// The start of every temporary file's name. A temporary file is created
/// exclusively (`O_EXCL`, a random name, never through a symlink), locked
/// while it is written, and renamed over its destination; on any error it is
/// removed. [`remove_leftovers`] deletes the ones a killed run left behind.
pub const TEMP_PREFIX: &str = ".vpcc-tmp-";

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory, then a rename, so a failure never leaves a half-written file
/// and a reader sees the old bytes or the new ones. A new file gets mode
/// 0666 less the umask, as `std::fs::write` would.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), String> {
    write_atomic_with(path, contents, None)
}

/// [`write_atomic`], giving the new file `permissions` (for `fmt`, which
/// keeps a file's mode).
pub fn write_atomic_with(
    path: &Path,
    contents: &[u8],
    permissions: Option<std::fs::Permissions>,
) -> Result<(), String> {
    write_atomic_by(path, permissions, &mut |w| w.write_all(contents))
}

/// [`write_atomic_with`], the contents written by `write` into the
/// temporary file (buffered), so a large output is never held whole.
pub fn write_atomic_by(
    path: &Path,
    permissions: Option<std::fs::Permissions>,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let fail = |e: std::io::Error| {
        format!(
            "cannot write `{}`: {}",
            path.display(),
            lower_first(&e.to_string())
        )
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // Dropping `tmp` on any error path below removes the temporary file.
    let mut tmp = builder.tempfile_in(&dir).map_err(fail)?;
    // Held until the rename: `remove_leftovers` deletes only unlocked files.
    let _ = tmp.as_file().try_lock();
    {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        write(&mut buffered).map_err(fail)?;
        buffered.flush().map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    if let Some(permissions) = permissions {
        tmp.as_file().set_permissions(permissions).map_err(fail)?;
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Removes the temporary files a killed `vpcc` left in `dir`: entries whose
/// name starts with [`TEMP_PREFIX`] (or the older `.NAME.vpcc-tmp-PID`) and
/// that no running `vpcc` holds locked. A symlink with such a name is
/// removed itself, never followed. Returns how many were removed.
pub fn remove_leftovers(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // `.vpcc-tmp-…` now, `.NAME.vpcc-tmp-PID` before: both contain it.
        if !name.contains(TEMP_PREFIX) {
            continue;
        }
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let stale = if meta.file_type().is_symlink() {
            true
        } else if meta.is_file() {
            std::fs::File::open(&path).is_ok_and(|f| f.try_lock().is_ok())
        } else {
            false
        };
        if stale && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// An output path below a directory vpcc writes into must not be a
/// symlink: replacing it is refused rather than followed (or silently
/// turned into a file).
pub fn refuse_symlink(path: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(format!(
            "refusing to write `{}`: it is a symlink (vpcc does not follow links below the output directory; remove it)",
            path.display()
        )),
        _ => Ok(()),
    }
}

/// Writes a command's document to `-o FILE` (atomically) or to standard
/// output: exit 0, or 2 when the file cannot be written.
/// [`write_output`] for an output made by `write` as it goes (a large
/// JSON document serialised straight into the file or stdout).
pub fn write_output_by(
    output: Option<&Path>,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> super::Exit {
    match output {
        Some(path) => match write_atomic_by(path, None, write) {
            Ok(()) => super::Exit::Ok,
            Err(message) => {
                error(&message);
                super::Exit::Usage
            }
        },
        None => {
            let stdout = std::io::stdout();
            let mut buffered = std::io::BufWriter::new(stdout.lock());
            let _ = write(&mut buffered).and_then(|()| buffered.flush());
            super::Exit::Ok
        }
    }
}

pub fn write_output(output: Option<&Path>, text: &str) -> super::Exit {
    match output {
        Some(path) => match write_atomic(path, text.as_bytes()) {
            Ok(()) => super::Exit::Ok,
            Err(message) => {
                error(&message);
                super::Exit::Usage
            }
        },
        None => {
            let _ = std::io::stdout().write_all(text.as_bytes());
            super::Exit::Ok
        }
    }
}

/// How a command that needs a model loads its file.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    pub format: MessageFormat,
    pub color: ColorChoice,
    /// Failed `expect`s (E0501) still give a model: `reach` traces any
    /// flow, `report` shows the failures.
    pub failed_expects_ok: bool,
    /// Print the diagnostics only when the command stops (`reach`, whose
    /// output is the trace), not on success.
    pub quiet_on_success: bool,
}

impl Load {
    /// No error allowed, diagnostics printed as they come.
    pub fn strict(format: MessageFormat, color: ColorChoice) -> Load {
        Load {
            format,
            color,
            failed_expects_ok: false,
            quiet_on_success: false,
        }
    }
}

/// A file's text and its model.
pub struct Loaded {
    pub src: String,
    pub model: vpc::model::Model,
    /// Some `expect` failed (only with `failed_expects_ok`).
    pub expects_failed: bool,
    /// How many warnings were reported.
    pub warnings: usize,
    /// The project's `vpcc.toml` says `deny-warnings = true`.
    pub deny_warnings: bool,
}

/// The project settings for the file `path`: the first `vpcc.toml` in its
/// directory or a directory above it (from the current directory for `-`),
/// or the defaults when there is none. An unreadable or invalid one is an
/// error (exit 2), named with its path, line and column.
pub fn project_config(path: &Path) -> Result<vpc::config::Config, String> {
    let dir = if path.as_os_str() == "-" {
        std::env::current_dir().ok()
    } else {
        std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
    };
    match dir {
        Some(dir) => config_in(&dir),
        None => Ok(vpc::config::Config::default()),
    }
}

/// The project settings for files in `dir` (see [`project_config`]).
pub fn config_in(dir: &Path) -> Result<vpc::config::Config, String> {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let Some(file) = dir
        .ancestors()
        .map(|d| d.join(vpc::config::FILE_NAME))
        .find(|candidate| candidate.is_file())
    else {
        return Ok(vpc::config::Config::default());
    };
    let text = std::fs::read_to_string(&file).map_err(|e| {
        format!(
            "cannot read `{}`: {}",
            file.display(),
            lower_first(&e.to_string())
        )
    })?;
    vpc::config::Config::parse(&text).map_err(|e| format!("`{}`:{e}", file.display()))
}

/// Reads a file and its project settings and compiles it under them.
pub fn compile_file(
    path: &Path,
) -> Result<(String, vpc::config::Config, vpc::Compilation), String> {
    let src = read_source(path)?;
    let config = project_config(path)?;
    let compilation = vpc::compile_with(&src, &config);
    Ok((src, config, compilation))
}

/// Reads and compiles one file for a command that needs its model: prints
/// the diagnostics (as `how` says) and returns the text and the model, or
/// the exit code to stop with (2 when the file cannot be read, 1 when it
/// has errors). Every command that works on a model loads through here.
pub fn load_model(path: &Path, how: Load) -> Result<Loaded, super::Exit> {
    let (src, config, compilation) = compile_file(path).map_err(|message| {
        error(&message);
        super::Exit::Usage
    })?;
    let blocking = compilation
        .diagnostics
        .iter()
        .any(|d| d.is_error() && !(how.failed_expects_ok && d.code == vpc::diag::Code::E0501));
    let ok = compilation.model.is_some() && !blocking;
    if !(ok && how.quiet_on_success) {
        emit_diagnostics(
            how.format,
            stderr_color(how.color),
            path,
            &src,
            &compilation.diagnostics,
        );
    }
    let expects_failed = compilation.has_errors();
    let warnings = compilation
        .diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .count();
    match compilation.model {
        Some(model) if ok => Ok(Loaded {
            src,
            model,
            expects_failed,
            warnings,
            deny_warnings: config.deny_warnings,
        }),
        _ => Err(super::Exit::Errors),
    }
}
