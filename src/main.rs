use std::process::ExitCode;

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_default();
    let src = std::fs::read_to_string(&path).unwrap_or_default();
    let c = vpc::compile(&src);
    print!("{}", vpc::diag::render::render(vpc::diag::render::Format::Human, &path, &src, &c.diagnostics, false));
    ExitCode::from(u8::from(c.has_errors()))
}
