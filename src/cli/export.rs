//! `vpcc export FILE --format cloudformation|cloudformation-json|terraform [-o FILE]`
//!
//! Writes the AWS resources a checked file describes as a CloudFormation
//! template (YAML or JSON) or one Terraform file. A file with errors prints
//! its diagnostics and exits 1, as does a file that says something a
//! template cannot express (E0701); I/O problems exit 2. `-o` writes
//! atomically; without it the output goes to stdout.

use std::path::PathBuf;

use clap::ValueEnum;

use super::io::{
    Load, Loaded, display_name, emit_diagnostics, load_model, stderr_color, write_output,
};
use super::{ColorChoice, Exit, MessageFormat};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A CloudFormation template in YAML
    Cloudformation,
    /// A CloudFormation template in JSON
    CloudformationJson,
    /// One Terraform file (HCL) for the `aws` provider
    Terraform,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The .vpc file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Cloudformation)]
    pub format: Format,
    /// Write to this file (atomically) instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour diagnostics (NO_COLOR is honoured with `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

pub fn run(args: &Args) -> Exit {
    let Loaded { src, model, .. } =
        match load_model(&args.file, Load::strict(MessageFormat::Human, args.color)) {
            Ok(l) => l,
            Err(exit) => return exit,
        };
    let color = stderr_color(args.color);
    let name = args.file.file_name().map_or_else(
        || display_name(&args.file),
        |n| n.to_string_lossy().into_owned(),
    );
    let plan = match vpc::export::plan(&model, &name) {
        Ok(plan) => plan,
        Err(diagnostics) => {
            emit_diagnostics(MessageFormat::Human, color, &args.file, &src, &diagnostics);
            return Exit::Errors;
        }
    };
    if args.format != Format::Terraform {
        // What a template cannot say (a VPN's attachment, the size limit);
        // the Terraform file can.
        let refused = vpc::export::cfn_errors(&model, &plan);
        if !refused.is_empty() {
            emit_diagnostics(MessageFormat::Human, color, &args.file, &src, &refused);
            return Exit::Errors;
        }
    }
    let out = match args.format {
        Format::Cloudformation => vpc::export::cfn::yaml(&plan),
        Format::CloudformationJson => vpc::export::cfn::json(&plan),
        Format::Terraform => vpc::export::terraform::hcl(&plan),
    };
    write_output(args.output.as_deref(), &out)
}
