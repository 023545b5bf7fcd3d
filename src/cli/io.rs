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
pub fn read_source(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let cannot = |why: String| format!("cannot read `{}`: {why}", path.display());
    if path.is_dir() {
        return Err(cannot("it is a directory".into()));
    }
    let file = std::fs::File::open(path).map_err(|e| cannot(lower_first(&e.to_string())))?;
    let mut bytes = Vec::new();
    file.take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot(lower_first(&e.to_string())))?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(cannot(format!(
            "it is larger than {} MiB",
            MAX_SOURCE_BYTES / (1024 * 1024)
        )));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        cannot(format!(
            "it is not UTF-8 text (invalid byte at offset {offset})"
        ))
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
    path.display().to_string()
}

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory, then a rename, so a failure never leaves a half-written file.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.vpcc-tmp-{}", std::process::id()));
    let result = std::fs::write(&tmp, contents).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "cannot write `{}`: {}",
            path.display(),
            lower_first(&e.to_string())
        ));
    }
    Ok(())
}

/// Reads and compiles one file for a command that needs its model: prints
/// the diagnostics (if any) and returns the model, or the exit code to stop
/// with (2 when the file cannot be read, 1 when it has errors).
pub fn load_model(
    path: &Path,
    format: MessageFormat,
    color: ColorChoice,
) -> Result<vpc::model::Model, super::Exit> {
    let src = read_source(path).map_err(|message| {
        error(&message);
        super::Exit::Usage
    })?;
    let compilation = vpc::compile(&src);
    emit_diagnostics(
        format,
        stderr_color(color),
        path,
        &src,
        &compilation.diagnostics,
    );
    match compilation.model {
        Some(model) if !compilation.has_errors() => Ok(model),
        _ => Err(super::Exit::Errors),
    }
}
