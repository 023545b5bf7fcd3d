//! Writes that cannot be redirected (issue 21): each test plants what an
//! attacker who can write into the output folder (or a careless user) would,
//! runs the real binary, and checks that nothing outside the folder changed.
//! Every one of them failed on the old writer, which created
//! `.{file}.vpcc-tmp-{PID}` with a plain create (following a planted
//! symlink) and followed symlinks at output paths.

#![cfg(unix)]

mod support;

use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Stdio};

use support::cli::{assert_sane, vpcc};

const UNFORMATTED: &str = "vpc main 10.0.0.0/16 {\n    subnet a 10.0.1.0/24\n}\n";
const FORMATTED: &str = "vpc main 10.0.0.0/16 {\n  subnet a 10.0.1.0/24\n}\n";

fn example() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    root.join("examples/nat-bastion-endpoints.vpc")
        .display()
        .to_string()
}

/// `vpcc build EXAMPLE -o dir`.
fn build_into(dir: &Path) -> support::cli::Run {
    vpcc([
        "build".as_ref(),
        example().as_ref(),
        "-o".as_ref(),
        dir.as_os_str(),
    ])
}

/// The old temp name under every PID the next run could get: each is a
/// symlink to a victim file. fmt must not write through any of them.
#[test]
fn fmt_ignores_planted_temp_symlinks() {
    let tmp = tempfile::tempdir().unwrap();
    let victim = tmp.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    let file = tmp.path().join("a.vpc");
    std::fs::write(&file, UNFORMATTED).unwrap();
    let max_pid: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(32768)
        .min(70_000);
    for pid in 1..max_pid {
        symlink(&victim, tmp.path().join(format!(".a.vpc.vpcc-tmp-{pid}"))).unwrap();
    }
    let run = vpcc(["fmt".as_ref(), file.as_os_str()]);
    assert_sane(&run);
    assert_eq!(run.code, 0, "{}", run.stderr_head());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FORMATTED);
}

/// `build -o DIR`: a symlink at DIR/NAME or DIR/NAME/FILE pointing outside
/// is refused with exit 2, and the file it points at is untouched.
#[test]
fn build_refuses_symlinks_below_the_output_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let victim = outside.join("victim.html");
    std::fs::write(&victim, "precious\n").unwrap();

    // A symlink for one output file.
    let out = tmp.path().join("site");
    std::fs::create_dir_all(out.join("nat-bastion-endpoints")).unwrap();
    symlink(&victim, out.join("nat-bastion-endpoints/report.html")).unwrap();
    let run = vpcc([
        "build".as_ref(),
        example().as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_sane(&run);
    assert_eq!(run.code, 2, "{}", run.stderr_head());
    assert!(run.stderr.contains("symlink"), "{}", run.stderr_head());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");

    // A symlink for the design's directory.
    let out2 = tmp.path().join("site2");
    std::fs::create_dir(&out2).unwrap();
    symlink(&outside, out2.join("nat-bastion-endpoints")).unwrap();
    let run = vpcc([
        "build".as_ref(),
        example().as_ref(),
        "-o".as_ref(),
        out2.as_os_str(),
    ]);
    assert_sane(&run);
    assert_eq!(run.code, 2, "{}", run.stderr_head());
    let written: Vec<_> = std::fs::read_dir(&outside).unwrap().collect();
    assert_eq!(written.len(), 1, "build wrote through the linked directory");
}

/// A temp file left by a `kill -9`ed run (vpcc's prefix, unlocked) is
/// removed by the next build into the same folder; the outputs are written.
#[test]
fn build_removes_leftovers_of_a_killed_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nat-bastion-endpoints");
    std::fs::create_dir(&dir).unwrap();
    let leftover = dir.join(".vpcc-tmp-Ab3xYz");
    std::fs::write(&leftover, "half a report").unwrap();
    let old_style = dir.join(".report.html.vpcc-tmp-4242");
    std::fs::write(&old_style, "half a report").unwrap();
    let unrelated = dir.join("notes.txt");
    std::fs::write(&unrelated, "mine").unwrap();
    let run = build_into(tmp.path());
    assert_sane(&run);
    assert_eq!(run.code, 0, "{}", run.stderr_head());
    assert!(!leftover.exists());
    assert!(!old_style.exists());
    assert!(unrelated.exists());
    assert!(dir.join("report.html").is_file());
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("vpcc-tmp")),
        "temp files left: {names:?}"
    );
}

/// A file another run holds locked (a build in progress) is not removed.
#[test]
fn build_keeps_a_locked_temp_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nat-bastion-endpoints");
    std::fs::create_dir(&dir).unwrap();
    let busy = dir.join(".vpcc-tmp-busy");
    let f = std::fs::File::create(&busy).unwrap();
    f.lock().unwrap();
    let run = build_into(tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr_head());
    assert!(busy.exists(), "a locked temp file was removed");
    drop(f);
}

/// fmt in place keeps the mode, formats a symlink's target (the link stays
/// a link), and refuses a file with several hard links.
#[test]
fn fmt_in_place_keeps_the_files_identity() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("secret.vpc");
    std::fs::write(&file, UNFORMATTED).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = vpcc(["fmt".as_ref(), file.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr_head());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FORMATTED);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let target = tmp.path().join("target.vpc");
    std::fs::write(&target, UNFORMATTED).unwrap();
    let link = tmp.path().join("link.vpc");
    symlink(&target, &link).unwrap();
    let run = vpcc(["fmt".as_ref(), link.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr_head());
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), FORMATTED);

    let one = tmp.path().join("one.vpc");
    let two = tmp.path().join("two.vpc");
    std::fs::write(&one, UNFORMATTED).unwrap();
    std::fs::hard_link(&one, &two).unwrap();
    let run = vpcc(["fmt".as_ref(), one.as_os_str()]);
    assert_sane(&run);
    assert_eq!(run.code, 2, "{}", run.stderr_head());
    assert!(run.stderr.contains("hard links"), "{}", run.stderr_head());
    assert_eq!(std::fs::metadata(&one).unwrap().nlink(), 2);
    assert_eq!(std::fs::read_to_string(&two).unwrap(), UNFORMATTED);
}

/// New output files get 0666 less the umask, as before (not tempfile's 0600).
#[test]
fn new_outputs_are_readable_as_before() {
    let tmp = tempfile::tempdir().unwrap();
    let run = build_into(tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr_head());
    let mode = std::fs::metadata(tmp.path().join("nat-bastion-endpoints/report.html"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    // The test process's umask is inherited; 0o022 or 0o002 in practice.
    assert!(mode & 0o044 != 0, "report.html is {mode:o}");
}

/// Standard input has the 64 MiB cap of every file: `fmt -` and `check -`
/// on endless input stop with exit 2 instead of reading until memory runs
/// out.
#[test]
fn standard_input_is_capped() {
    for cmd in ["fmt", "check"] {
        let mut child = Command::new(support::cli::vpcc_path())
            .args([cmd, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            let chunk = vec![b'#'; 1 << 20];
            // 80 MiB of comment bytes, then stop (a broken pipe is fine).
            for _ in 0..80 {
                if stdin.write_all(&chunk).is_err() {
                    break;
                }
            }
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd} -: {stderr}");
        assert!(stderr.contains("larger than 64 MiB"), "{cmd} -: {stderr}");
    }
}
