//! Running the real `vpcc` binary from tests: a generous timeout guard, the
//! output captured without pipe deadlocks, and checks every run must pass.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

/// How long any single run may take before the test fails as hung. This is
/// a guard against hangs, not a speed assertion: a 10 MB input in a debug
/// build takes seconds, a hang takes forever.
pub const GUARD: Duration = Duration::from_secs(180);

/// One finished run of `vpcc`.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Stderr, shortened for assertion messages.
    pub fn stderr_head(&self) -> String {
        head(&self.stderr)
    }

    pub fn stdout_head(&self) -> String {
        head(&self.stdout)
    }
}

fn head(s: &str) -> String {
    if s.len() <= 2000 {
        return s.to_string();
    }
    let mut end = 2000;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &s[..end], s.len())
}

/// The binary under test: `CARGO_BIN_EXE_vpcc`, or `VPCC_BIN` when set (a
/// target directory shared between checkouts builds one binary per
/// checkout; `VPCC_BIN` says which one to run).
pub fn vpcc_path() -> PathBuf {
    std::env::var_os("VPCC_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_vpcc")), PathBuf::from)
}

/// The repository root: every run starts there unless told otherwise, so
/// relative paths like `examples/peering.vpc` work in every test.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `vpcc ARGS...` from the repository root with `NO_COLOR=1` and stdin
/// closed; panics when it outlives [`GUARD`] or dies from a signal. For
/// another directory, input on stdin or colour, use [`Vpcc`].
pub fn vpcc<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Vpcc::new(args).run()
}

/// One run of the binary, set up before it starts: the one runner every
/// integration test uses.
#[derive(Debug)]
pub struct Vpcc {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

impl Vpcc {
    pub fn new<I, S>(args: I) -> Vpcc
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(vpcc_path());
        cmd.args(args).current_dir(root()).env("NO_COLOR", "1");
        Vpcc { cmd, stdin: None }
    }

    /// One more argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Vpcc {
        self.cmd.arg(arg);
        self
    }

    /// More arguments.
    pub fn args<I, S>(mut self, args: I) -> Vpcc
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Run in `dir` instead of the repository root.
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Vpcc {
        self.cmd.current_dir(dir);
        self
    }

    /// Feed `input` on stdin (then close it).
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Vpcc {
        self.stdin = Some(input.into());
        self
    }

    /// Leave `NO_COLOR` unset, for the tests of colour itself.
    pub fn colour(mut self) -> Vpcc {
        self.cmd.env_remove("NO_COLOR");
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Vpcc {
        self.cmd.env(key, value);
        self
    }

    pub fn run(self) -> Run {
        let Vpcc { mut cmd, stdin } = self;
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let start = Instant::now();
        let mut child = cmd.spawn().expect("spawn vpcc");
        // Feed stdin and drain both pipes on threads: a child blocked on a
        // full pipe would otherwise look like a hang.
        let t_in = child.stdin.take().zip(stdin).map(|(mut pipe, input)| {
            std::thread::spawn(move || {
                use std::io::Write;
                // A child that exits before reading all of it is not an error.
                let _ = pipe.write_all(&input);
            })
        });
        let mut out = child.stdout.take().expect("stdout");
        let mut err = child.stderr.take().expect("stderr");
        let t_out = std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = out.read_to_end(&mut v);
            v
        });
        let t_err = std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = err.read_to_end(&mut v);
            v
        });
        let status = match child.wait_timeout(GUARD).expect("wait for vpcc") {
            Some(status) => status,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("vpcc did not finish within {GUARD:?} (hang?)");
            }
        };
        let elapsed = start.elapsed();
        if let Some(t) = t_in {
            t.join().expect("stdin writer");
        }
        let stdout = String::from_utf8_lossy(&t_out.join().expect("stdout reader")).into_owned();
        let stderr = String::from_utf8_lossy(&t_err.join().expect("stderr reader")).into_owned();
        let Some(code) = status.code() else {
            panic!(
                "vpcc was killed by a signal ({status:?}), e.g. a stack overflow; stderr:\n{}",
                head(&stderr)
            );
        };
        Run {
            code,
            stdout,
            stderr,
            elapsed,
        }
    }
}

/// The checks every run must pass: no panic and an exit code of the
/// contract (0, 1 or 2).
pub fn assert_sane(run: &Run) {
    assert!(
        !run.stderr.contains("panicked"),
        "vpcc panicked:\n{}",
        run.stderr_head()
    );
    assert!(
        !run.stderr.contains("RUST_BACKTRACE"),
        "vpcc panicked:\n{}",
        run.stderr_head()
    );
    assert!(
        matches!(run.code, 0..=2),
        "exit code {} is outside the contract; stderr:\n{}",
        run.code,
        run.stderr_head()
    );
}

/// Exit 2 with a clean one-line `vpcc: error:` message naming the problem.
pub fn assert_io_error(run: &Run, needle: &str) {
    assert_sane(run);
    assert_eq!(run.code, 2, "want exit 2; stderr:\n{}", run.stderr_head());
    assert!(
        run.stderr.starts_with("vpcc: error: "),
        "want a `vpcc: error:` line; stderr:\n{}",
        run.stderr_head()
    );
    assert!(
        run.stderr.contains(needle),
        "want `{needle}` in stderr:\n{}",
        run.stderr_head()
    );
}

/// Exit 1 with at least one diagnostic carrying `code` (json format).
pub fn assert_diagnostic(run: &Run, code: &str) {
    assert_sane(run);
    assert_eq!(
        run.code,
        1,
        "want exit 1; stderr:\n{}\nstdout:\n{}",
        run.stderr_head(),
        run.stdout_head()
    );
    let codes = json_codes(&run.stdout);
    assert!(
        codes.iter().any(|c| c == code),
        "want {code}, got {codes:?}"
    );
}

/// The `code` of each line of `--message-format json` output.
pub fn json_codes(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {}", head(l)));
            v["code"].as_str().unwrap_or_default().to_string()
        })
        .collect()
}

/// Whether file permissions bind this process. They do not for root (or a
/// process with CAP_DAC_OVERRIDE): a mode-000 file is still readable. Probed,
/// not guessed from the user name.
pub fn permissions_enforced(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join(".perm-probe");
    std::fs::write(&probe, b"x").expect("write probe");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod probe");
    let readable = std::fs::read(&probe).is_ok();
    let _ = std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o600));
    let _ = std::fs::remove_file(&probe);
    !readable
}

/// Output paths that cannot be written, for `vpcc build -o DIR` and
/// `vpcc graph -o FILE` once those commands exist. Each entry is a path and
/// why it cannot be written. The "parent is a file" case fails for every
/// user; the read-only directory only when [`permissions_enforced`].
///
/// Intended use, per output command:
///
/// ```ignore
/// for (out, why) in unwritable_outputs(tmp.path()) {
///     let run = vpcc(["build", "examples/peering.vpc", "-o"].iter().map(OsStr::new).chain([out.as_os_str()]));
///     assert_io_error(&run, "cannot write");   // exit 2, no panic, no partial file
/// }
/// ```
pub fn unwritable_outputs(tmp: &Path) -> Vec<(PathBuf, &'static str)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let file = tmp.join("a-file");
    std::fs::write(&file, b"not a directory").expect("write");
    out.push((file.join("out"), "its parent is a regular file"));
    if permissions_enforced(tmp) {
        let ro = tmp.join("read-only");
        std::fs::create_dir_all(&ro).expect("mkdir");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).expect("chmod");
        out.push((ro.join("out"), "its directory is read-only"));
    }
    out.push((
        PathBuf::from("/proc/vpcc-cannot-write-here"),
        "it is under /proc",
    ));
    out
}
