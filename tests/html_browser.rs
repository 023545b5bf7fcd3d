//! The HTML report in a real browser: headless Chromium opens the report
//! of `examples/large.vpc` and of a generated 40-subnet network with
//! `#selftest`; the page's script (`src/report/report.js`) then clicks its
//! own zoom buttons, sends a wheel event and a drag to the diagram, types
//! into the matrix filter, scrolls the matrix, and writes what it measured
//! into `<html data-selftest="…">`. Chromium's `--dump-dom` prints the DOM
//! after that, and the assertions below read it: a zoom that does not
//! zoom, a filter that hides nothing, a header that scrolls away or a
//! page that loads anything fails here.
//!
//! Ignored unless asked for (`scripts/test.sh` installs Chromium and runs
//! it): `cargo test --test html_browser -- --include-ignored`. The browser
//! is `/usr/bin/chromium`, or `VPCC_CHROMIUM`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

mod support;
use support::cli::{Run, vpcc};

fn chromium() -> PathBuf {
    let path = std::env::var_os("VPCC_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        path.is_file(),
        "{} is missing: apt-get install -y chromium (scripts/test.sh does)",
        path.display()
    );
    path
}

/// Chromium's DOM of `file` (opened with `fragment`) after its scripts ran.
fn dump_dom(file: &Path, fragment: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!("file://{}{fragment}", file.display());
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).expect("chromium's output");
        s
    });
    match child
        .wait_timeout(Duration::from_secs(120))
        .expect("wait for chromium")
    {
        Some(status) => assert!(status.success(), "chromium failed on {url}: {status}"),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium took more than 120 s on {url}");
        }
    }
    reader.join().expect("reader")
}

/// The self-check's result: the JSON in `data-selftest`, unescaped.
fn selftest(dom: &str) -> serde_json::Value {
    let start = dom
        .find("data-selftest=\"")
        .unwrap_or_else(|| panic!("no data-selftest in the DOM: {}", head(dom)))
        + "data-selftest=\"".len();
    let end = start + dom[start..].find('"').expect("closing quote");
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

fn head(s: &str) -> &str {
    let mut end = s.len().min(2000);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Nothing a browser would fetch: no `src`, every `href` an anchor on the
/// page, `http(s)://` only as an SVG namespace name.
fn assert_offline(html: &str) {
    assert!(!html.contains("src="), "a src attribute");
    for part in html.split("href=\"").skip(1) {
        assert!(part.starts_with('#'), "href to {}", head(part));
    }
    for scheme in ["http://", "https://"] {
        for (i, _) in html.match_indices(scheme) {
            let before = &html[..i];
            assert!(
                before.ends_with("xmlns=\"") || before.ends_with("xmlns:xlink=\""),
                "a URL that is not a namespace: {}",
                head(&html[i..])
            );
        }
    }
    for word in ["url(", "@import", "<link", "<iframe", "<img", "fetch("] {
        assert!(!html.contains(word), "`{word}` in the page");
    }
}

fn number(v: &serde_json::Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("`{key}` is not a number: {v}"))
}

fn close(v: &serde_json::Value, key: &str, want: f64) {
    let got = number(v, key);
    assert!((got - want).abs() < 0.01, "{key}: {got}, want {want}: {v}");
}

/// Writes the report of `vpc` to `dir/NAME.html`, checks it is offline,
/// and returns the self-check of it in Chromium.
fn check_in_browser(vpc: &Path, dir: &Path, name: &str) -> serde_json::Value {
    let html_path = dir.join(format!("{name}.html"));
    let Run { code, stderr, .. } = vpcc([
        "report".as_ref(),
        vpc.as_os_str(),
        "--format".as_ref(),
        "html".as_ref(),
        "-o".as_ref(),
        html_path.as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(&html_path).expect("the report");
    assert_offline(&html);
    let v = selftest(&dump_dom(&html_path, "#selftest"));
    assert_eq!(v["ok"], true, "the self-check threw: {v}");
    // Nothing loaded: no resource besides the page itself.
    assert_eq!(v["resources"], 0, "{v}");
    assert_eq!(v["scripts"], 1, "{v}");
    // Zoom: +, − twice, 1:1, fit, the wheel; drag pans by what it moved.
    close(&v, "zoomIn", 1.25);
    close(&v, "zoomOut", 0.8);
    close(&v, "reset", 1.0);
    let fit = number(&v, "fit");
    assert!(fit > 0.0 && fit <= 1.01, "fit: {v}");
    assert!(number(&v, "wheel") > 1.1, "the wheel did not zoom in: {v}");
    assert_eq!(v["pan"], serde_json::json!([80, 50]), "drag: {v}");
    // The diagram is at natural size: wider than the 1400-pixel window.
    assert!(number(&v, "natural") > 1400.0, "{v}");
    // The filter: nothing, one source, one destination, then all again.
    let sources = v["sources"].as_u64().expect("sources");
    let destinations = v["destinations"].as_u64().expect("destinations");
    assert!(sources >= 20 && destinations >= 20, "{v}");
    assert_eq!(v["fromNone"], 0, "{v}");
    let first = v["fromFirst"].as_u64().expect("fromFirst");
    assert!(first >= 1 && first < sources, "{v}");
    assert_eq!(v["toInternet"], 1, "{v}");
    assert_eq!(v["cellsShown"], 1, "the hidden columns' cells: {v}");
    assert_eq!(
        v["cleared"],
        serde_json::json!([sources, destinations]),
        "{v}"
    );
    // Sticky headers: after scrolling to the far corner, the column
    // headers are still at the top of the box and the row headers at its
    // left (1 px: the box's border).
    assert_eq!(v["stickyTop"], "sticky", "{v}");
    assert_eq!(v["stickyLeft"], "sticky", "{v}");
    let scrolled = v["scrolled"].as_array().expect("scrolled");
    assert!(
        scrolled.iter().all(|s| s.as_f64().unwrap_or(0.0) > 100.0),
        "the matrix did not scroll: {v}"
    );
    assert!(number(&v, "headTop").abs() <= 2.0, "{v}");
    assert!(number(&v, "srcLeft").abs() <= 2.0, "{v}");
    v
}

#[test]
#[ignore = "needs chromium (scripts/test.sh installs it)"]
fn the_large_example_zooms_filters_and_keeps_its_headers() {
    let dir = tempfile::tempdir().expect("dir");
    let file = support::cli::root().join("examples/large.vpc");
    let v = check_in_browser(&file, dir.path(), "large");
    assert_eq!(v["fromFirstText"], "web-a1", "{v}");
    // Without #selftest the page checks nothing and changes nothing.
    let dom = dump_dom(&dir.path().join("large.html"), "");
    assert!(!dom.contains("data-selftest=\""));
    // The script ran: the tool bars show, the filter counts.
    for bar in ["diagram-tools", "matrix-tools"] {
        assert!(
            dom.contains(&format!("<div class=\"tools\" id=\"{bar}\">")),
            "{bar} still hidden"
        );
    }
    assert!(
        dom.contains("21 of 21 sources, 22 of 22 destinations"),
        "{}",
        head(&dom)
    );
}

#[test]
#[ignore = "needs chromium (scripts/test.sh installs it)"]
fn a_generated_40_subnet_network_zooms_filters_and_keeps_its_headers() {
    let dir = tempfile::tempdir().expect("dir");
    let vpc = dir.path().join("g40.vpc");
    let Run { code, stderr, .. } = vpcc([
        "gen",
        "--vpcs",
        "2",
        "--azs",
        "2",
        "--subnets-per-az",
        "10",
        "--instances-per-subnet",
        "1",
        "-o",
        vpc.to_str().expect("UTF-8"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&vpc).expect("read");
    let model = support::fixture::model_of(&text);
    assert!(model.subnets.len() >= 40, "{} subnets", model.subnets.len());
    check_in_browser(&vpc, dir.path(), "g40");
}
