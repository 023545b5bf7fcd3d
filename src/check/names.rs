//! The one namespace of a file: declarations, duplicates (E0302), unknown
//! names with "did you mean" (E0301), names of the wrong kind (E0303) and
//! references across VPCs (E0304).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::fxhash::FxBuild;

use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;

pub use crate::names::Kind;

/// A declaration: its kind, the index among declarations of its kind (the
/// model id), its VPC (index) when it lives in one, and where it is.
#[derive(Clone, Copy, Debug)]
pub struct Decl {
    pub kind: Kind,
    pub index: u32,
    pub vpc: Option<u32>,
    pub span: Span,
}

#[derive(Default)]
pub struct Names {
    map: HashMap<String, Decl, FxBuild>,
    /// Declarations so far per kind bucket (`kind_bucket(k) as usize`).
    counts: [u32; KINDS],
}

/// The number of `Kind`s.
const KINDS: usize = Kind::VgwVpn as usize + 1;

impl Names {
    /// How many declarations of `kind` (or its bucket) were entered,
    /// duplicates included.
    pub fn count(&self, kind: Kind) -> usize {
        self.counts[kind_bucket(kind) as usize] as usize
    }

    /// Makes room for `n` more declarations (saves rehashing on large files).
    pub fn reserve(&mut self, n: usize) {
        self.map.reserve(n);
    }

    /// Declares `name`; a second declaration of the same name is E0302 and
    /// is not entered (references resolve to the first).
    pub fn declare(
        &mut self,
        name: &ast::Name,
        kind: Kind,
        vpc: Option<u32>,
        diags: &mut Vec<Diagnostic>,
    ) -> u32 {
        let counter = &mut self.counts[kind_bucket(kind) as usize];
        let index = *counter;
        *counter += 1;
        // One hash per declaration: the key is cloned either way (a
        // duplicate is an error, so the wasted clone does not matter).
        let slot = match self.map.entry(name.text.clone()) {
            Entry::Occupied(first) => Err(*first.get()),
            Entry::Vacant(slot) => Ok(slot),
        };
        match slot {
            Ok(slot) => {
                slot.insert(Decl {
                    kind,
                    index,
                    vpc,
                    span: name.span,
                });
            }
            Err(first) => diags.push(
                Diagnostic::new(
                    Code::E0302,
                    format!("`{}` is declared twice", name.text),
                    name.span,
                    format!("declared again here, as {}", a(kind.noun())),
                )
                .with_secondary(
                    first.span,
                    format!("first declared here, as {}", a(first.kind.noun())),
                )
                .with_note("every name in a file lives in one namespace, whatever its kind")
                .with_help(format!("rename one of them, e.g. `{}-2`", name.text)),
            ),
        }
        index
    }

    pub fn get(&self, text: &str) -> Option<&Decl> {
        self.map.get(text)
    }

    /// Resolves a reference that must be one of `kinds`; reports E0301 or
    /// E0303 and returns `None` otherwise.
    pub fn resolve(
        &self,
        name: &ast::Name,
        kinds: &[Kind],
        what: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Decl> {
        let Some(decl) = self.map.get(&name.text) else {
            let mut d = Diagnostic::new(
                Code::E0301,
                format!("unknown name `{}`", name.text),
                name.span,
                format!("no {what} has this name"),
            );
            match self.suggest(&name.text, kinds) {
                Some(s) => {
                    let decl = self.map[&s];
                    d = d
                        .with_secondary(
                            decl.span,
                            format!("{} `{s}` is declared here", a(decl.kind.noun())),
                        )
                        .with_help(format!("did you mean `{s}`?"));
                }
                None => {
                    d = d.with_note(format!(
                        "{} must be declared somewhere in the file",
                        a(what)
                    ))
                }
            }
            diags.push(d);
            return None;
        };
        if !kinds.contains(&decl.kind) {
            let fits = join_kinds(kinds);
            let mut d = Diagnostic::new(
                Code::E0303,
                format!(
                    "`{}` is {}, but {} is needed here",
                    name.text,
                    a(decl.kind.noun()),
                    a(what)
                ),
                name.span,
                format!("expected {fits}"),
            )
            .with_secondary(
                decl.span,
                format!(
                    "`{}` is declared here as {}",
                    name.text,
                    a(decl.kind.noun())
                ),
            );
            // A role (`a route target`) is explained by the kinds that fill
            // it; a list of kinds is already the label.
            if kinds.len() == 1 {
                d = d.with_note(format!("only {fits} fits here"));
            } else if !what.contains(',') && !what.contains(" or ") {
                d = d.with_note(format!("{} is {fits}", a(what)));
            }
            if decl.kind == Kind::PrefixList && kinds.contains(&Kind::External) {
                d = d.with_help(format!(
                    "declare an `external` with the CIDRs of `{}` and name that",
                    name.text
                ));
            }
            diags.push(d);
            return None;
        }
        Some(*decl)
    }

    /// Like [`Names::resolve`], and the declaration must be in `vpc`
    /// (E0304 otherwise).
    pub fn resolve_in(
        &self,
        name: &ast::Name,
        kinds: &[Kind],
        what: &str,
        vpc: u32,
        vpc_name: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Decl> {
        let decl = self.resolve(name, kinds, what, diags)?;
        match decl.vpc {
            Some(v) if v != vpc => {
                let owner = self.vpc_name(v).unwrap_or("another VPC");
                diags.push(
                    Diagnostic::new(
                        Code::E0304,
                        format!(
                            "{} `{}` belongs to VPC `{owner}`, not `{vpc_name}`",
                            decl.kind.noun(),
                            name.text
                        ),
                        name.span,
                        format!("this {} is in VPC `{owner}`", decl.kind.noun()),
                    )
                    .with_secondary(decl.span, format!("declared in VPC `{owner}`"))
                    .with_note(format!(
                        "AWS lets a {} be used only inside its own VPC",
                        decl.kind.noun()
                    )),
                );
                None
            }
            _ => Some(decl),
        }
    }

    /// The name of the VPC with index `vpc`.
    pub fn vpc_name(&self, vpc: u32) -> Option<&str> {
        self.map
            .iter()
            .find(|(_, d)| d.kind == Kind::Vpc && d.index == vpc)
            .map(|(n, _)| n.as_str())
    }

    /// The nearest declared name of one of `kinds` (normalised
    /// Damerau–Levenshtein similarity ≥ 0.6, or a case-insensitive match).
    fn suggest(&self, text: &str, kinds: &[Kind]) -> Option<String> {
        let candidates = self
            .map
            .iter()
            .filter(|(_, d)| kinds.contains(&d.kind))
            .map(|(n, _)| n.as_str());
        crate::names::did_you_mean(text, candidates).map(str::to_string)
    }
}

/// Both endpoint kinds share one id space (`EndpointId`), as do both
/// attachment kinds.
fn kind_bucket(kind: Kind) -> Kind {
    match kind {
        Kind::InterfaceEndpoint => Kind::GatewayEndpoint,
        // VPC and VPN attachments share one id space (`TgwAttachmentId`).
        Kind::Vpn => Kind::TgwAttachment,
        k => k,
    }
}

/// `a` or `an` before a noun phrase: "an instance", "a NAT gateway".
pub fn a(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    let article = if vowel { "an" } else { "a" };
    format!("{article} {noun}")
}

fn join_kinds(kinds: &[Kind]) -> String {
    let nouns: Vec<String> = kinds.iter().map(|k| a(k.noun())).collect();
    match nouns.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
