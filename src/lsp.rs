//! The language server's analysis: pure functions from a document's text
//! to LSP answers, and the message handler over the open documents
//! ([`server`]). `cli/lsp.rs` owns the stdio transport and the loop;
//! nothing here does I/O.
//!
//! Each open file is a [`Document`]: its text, its compilation (for
//! diagnostics), and its name index ([`crate::names`]) for hover, go to
//! definition, references, rename, the outline and completion. While the
//! text does not parse, position-based answers are off (their spans would
//! point into old text) but completion keeps offering the names of the
//! last version that parsed.

mod complete;
pub mod server;

use std::collections::HashMap;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionOptions, CompletionTextEdit,
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, Hover, HoverContents,
    HoverProviderCapability, Location, MarkupContent, MarkupKind, NumberOrString, OneOf, Position,
    Range, RenameOptions, ServerCapabilities, SymbolKind, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};

pub use complete::Candidate;

use crate::diag::{Diagnostic, Severity};
use crate::names::{Decl, Index, Kind, Literal, Occurrence};
use crate::source::{Lines, Span};
use crate::syntax::ast;

/// What the server offers, for the `initialize` answer.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["[".into(), ",".into(), " ".into(), ">".into()]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// One open file.
#[derive(Debug)]
pub struct Document {
    text: String,
    lines: Lines,
    compilation: crate::Compilation,
    /// The index of the current text, when it parses.
    index: Option<Index>,
    /// The index of the last text that parsed, for completion.
    last_good: Option<Index>,
    /// The project settings (`vpcc.toml`) the file is compiled under.
    config: crate::config::Config,
}

impl Document {
    /// A document compiled with no project settings.
    pub fn new(text: String) -> Document {
        Document::with_config(text, crate::config::Config::default())
    }

    /// A document compiled under a project's `vpcc.toml` settings.
    pub fn with_config(text: String, config: crate::config::Config) -> Document {
        let compilation = crate::compile_with(&text, &config);
        let index = compilation.ast.as_ref().map(Index::new);
        Document {
            lines: Lines::new(&text),
            last_good: index.clone(),
            index,
            compilation,
            text,
            config,
        }
    }

    /// Replaces the text, keeping the settings and the last good index for
    /// completion.
    pub fn update(&mut self, text: String) {
        let last_good = self.last_good.take();
        let config = std::mem::take(&mut self.config);
        *self = Document::with_config(text, config);
        if self.last_good.is_none() {
            self.last_good = last_good;
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The LSP position of a byte offset (UTF-16 columns).
    fn position(&self, offset: usize) -> Position {
        let (line, character) = self.lines.utf16_position(&self.text, offset);
        Position {
            line: to_u32(line),
            character: to_u32(character),
        }
    }

    fn range(&self, span: Span) -> Range {
        Range {
            start: self.position(span.start as usize),
            end: self.position(span.end as usize),
        }
    }

    fn offset(&self, position: Position) -> usize {
        self.lines.utf16_offset(
            &self.text,
            position.line as usize,
            position.character as usize,
        )
    }

    fn location(&self, uri: &Uri, span: Span) -> Location {
        Location {
            uri: uri.clone(),
            range: self.range(span),
        }
    }

    /// The compiler's diagnostics as LSP diagnostics; secondary labels
    /// become related information, notes and help join the message.
    pub fn diagnostics(&self, uri: &Uri) -> Vec<lsp_types::Diagnostic> {
        self.compilation
            .diagnostics
            .iter()
            .map(|d| self.diagnostic(uri, d))
            .collect()
    }

    fn diagnostic(&self, uri: &Uri, d: &Diagnostic) -> lsp_types::Diagnostic {
        let mut message = d.message.clone();
        if !d.primary.message.is_empty() {
            message = format!("{message}: {}", d.primary.message);
        }
        for note in &d.notes {
            message.push_str(&format!("\nnote: {note}"));
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let related: Vec<DiagnosticRelatedInformation> = d
            .secondary
            .iter()
            .map(|l| DiagnosticRelatedInformation {
                location: self.location(uri, l.span),
                message: l.message.clone(),
            })
            .collect();
        lsp_types::Diagnostic {
            range: self.range(d.primary.span),
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
            }),
            code: Some(NumberOrString::String(d.code.as_str().to_string())),
            source: Some("vpcc".to_string()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Default::default()
        }
    }

    /// The name under the cursor, if the text parses.
    fn occurrence(&self, position: Position) -> Option<Occurrence<'_>> {
        self.index.as_ref()?.at(self.offset(position))
    }

    pub fn hover(&self, position: Position) -> Option<Hover> {
        let index = self.index.as_ref()?;
        let offset = self.offset(position);
        let (span, markdown) = if let Some(occurrence) = index.at(offset) {
            let decl = index.decl(occurrence.name());
            let text = match decl {
                Some(decl) => self.describe(index, decl),
                None => format!("`{}`: not declared in this file", occurrence.name()),
            };
            (occurrence.span(), text)
        } else {
            let (span, literal) = index.literal_at(offset)?;
            let text = match literal {
                Literal::Cidr(net) => cidr_facts(net),
                Literal::Address(addr) => address_facts(index, addr),
            };
            (span, text)
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(self.range(span)),
        })
    }

    /// The hover text of a declaration: kind, summary, declaration line,
    /// and per kind what else is known.
    fn describe(&self, index: &Index, decl: &Decl) -> String {
        let line = self.range(decl.name_span).start.line + 1;
        let mut text = format!("{} `{}`", decl.kind.keyword(), decl.name);
        if !decl.detail.is_empty() {
            text.push_str(&format!(" — {}", decl.detail));
        }
        text.push_str(&format!("\n\ndeclared on line {line}"));
        if let Some(parent) = decl.parent {
            let p = &index.decls[parent];
            text.push_str(&format!(" in {} `{}`", p.kind.keyword(), p.name));
        }
        if decl.kind == Kind::Subnet {
            for fact in self.subnet_facts(decl) {
                text.push_str("\n\n");
                text.push_str(&fact);
            }
        }
        text
    }

    /// What a subnet's hover says beyond its CIDR and zone.
    ///
    /// Extension point: today this reads the AST, so it can only show the
    /// routes as written in the associated table. Once `Compilation`
    /// carries the resolved `Model`, show the subnet's kind and effective
    /// routes (local and prefix-list routes included, in match order) from
    /// it instead.
    fn subnet_facts(&self, decl: &Decl) -> Vec<String> {
        let Some(file) = self.compilation.ast.as_ref() else {
            return Vec::new();
        };
        let Some(subnet) = subnets(file).find(|s| s.name.span == decl.name_span) else {
            return Vec::new();
        };
        let mut facts = Vec::new();
        let (_, usable) = sizes(subnet.cidr.net.trunc());
        facts.push(format!("{usable} usable addresses"));
        let table = subnet.items.iter().find_map(|i| match i {
            ast::SubnetItem::RouteTable(n, _) => Some(n.text.as_str()),
            _ => None,
        });
        let tables = route_tables(file);
        let table = match table {
            Some(name) => tables.iter().find(|t| t.name.text == name),
            None => tables.iter().find(|t| t.main.is_some()),
        };
        match table {
            Some(t) => {
                let how = if t.main.is_some() {
                    "main route table"
                } else {
                    "route table"
                };
                let mut routes = format!("{how} `{}`, routes as written:", t.name.text);
                for r in &t.routes {
                    let target = match &r.target {
                        ast::RouteTarget::Name(n) => n.text.as_str(),
                        ast::RouteTarget::Blackhole(_) => "blackhole",
                    };
                    routes.push_str(&format!("\n- `{}` → `{target}`", r.destination.net));
                }
                facts.push(routes);
            }
            None => facts.push(
                "no route table: the VPC's default main table (local routes only)".to_string(),
            ),
        }
        facts
    }

    pub fn definition(&self, uri: &Uri, position: Position) -> Option<Location> {
        let occurrence = self.occurrence(position)?;
        let decl = self.index.as_ref()?.decl(occurrence.name())?;
        Some(self.location(uri, decl.name_span))
    }

    pub fn references(
        &self,
        uri: &Uri,
        position: Position,
        include_declaration: bool,
    ) -> Vec<Location> {
        let (Some(index), Some(occurrence)) = (self.index.as_ref(), self.occurrence(position))
        else {
            return Vec::new();
        };
        let name = occurrence.name();
        let mut spans: Vec<Span> = index.refs_to(name).map(|r| r.span).collect();
        if include_declaration {
            spans.extend(
                index
                    .decls
                    .iter()
                    .filter(|d| d.name == name)
                    .map(|d| d.name_span),
            );
        }
        spans.sort();
        spans.into_iter().map(|s| self.location(uri, s)).collect()
    }

    /// The range of the name that a rename at `position` would change.
    pub fn prepare_rename(&self, position: Position) -> Option<Range> {
        self.occurrence(position).map(|o| self.range(o.span()))
    }

    /// Renames the name at `position` everywhere: declarations and
    /// references. Refuses a new name that is not a valid name.
    pub fn rename(
        &self,
        uri: &Uri,
        position: Position,
        new_name: &str,
    ) -> Result<WorkspaceEdit, String> {
        if !crate::syntax::matches_rule(crate::syntax::Rule::name, new_name) {
            return Err(format!(
                "`{new_name}` is not a valid name (letters, digits, `_` and `-`, not a reserved word)"
            ));
        }
        if self.occurrence(position).is_none() {
            return Err("there is no name to rename here".to_string());
        }
        let edits = self
            .references(uri, position, true)
            .into_iter()
            .map(|l| TextEdit {
                range: l.range,
                new_text: new_name.to_string(),
            })
            .collect();
        Ok(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        })
    }

    /// The outline: externals, VPCs (with their subnets, which hold NAT
    /// gateways and instances, then gateways, tables, endpoints, groups and
    /// ACLs) and peerings.
    pub fn symbols(&self) -> Vec<DocumentSymbol> {
        match &self.index {
            Some(index) => self.symbols_under(index, None),
            None => Vec::new(),
        }
    }

    fn symbols_under(&self, index: &Index, parent: Option<usize>) -> Vec<DocumentSymbol> {
        index
            .children(parent)
            .map(|(id, d)| {
                let children = self.symbols_under(index, Some(id));
                #[allow(deprecated)] // `deprecated` is a required field of the struct.
                DocumentSymbol {
                    name: d.name.clone(),
                    detail: (!d.detail.is_empty())
                        .then(|| format!("{} {}", d.kind.keyword(), d.detail)),
                    kind: symbol_kind(d.kind),
                    tags: None,
                    deprecated: None,
                    range: self.range(d.span),
                    selection_range: self.range(d.name_span),
                    children: (!children.is_empty()).then_some(children),
                }
            })
            .collect()
    }

    pub fn completion(&self, position: Position) -> Vec<CompletionItem> {
        let offset = self.offset(position);
        let index = self.index.as_ref().or(self.last_good.as_ref());
        let word = complete::partial_word(&self.text, offset);
        let range = self.range(Span::new(word.start, word.end));
        complete::complete(&self.text, offset, index)
            .into_iter()
            .map(|c| {
                let (kind, detail) = match &c {
                    Candidate::Keyword(_) => (CompletionItemKind::KEYWORD, None),
                    Candidate::Name { kind, detail, .. } => {
                        let detail = if detail.is_empty() {
                            kind.keyword().to_string()
                        } else {
                            format!("{} {detail}", kind.keyword())
                        };
                        (completion_kind(*kind), Some(detail))
                    }
                };
                CompletionItem {
                    label: c.label().to_string(),
                    kind: Some(kind),
                    detail,
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range,
                        new_text: c.label().to_string(),
                    })),
                    ..Default::default()
                }
            })
            .collect()
    }

    /// The whole-document edit that formats the file; `None` when it does
    /// not parse.
    pub fn formatting(&self) -> Option<Vec<TextEdit>> {
        let formatted = crate::fmt::format(&self.text).ok()?;
        if formatted == self.text {
            return Some(Vec::new());
        }
        let range = self.range(Span::new(0, self.text.len()));
        Some(vec![TextEdit {
            range,
            new_text: formatted,
        }])
    }
}

/// Every item of every VPC, in source order.
fn vpc_items(file: &ast::File) -> impl Iterator<Item = &ast::VpcItem> {
    file.items
        .iter()
        .filter_map(|i| match i {
            ast::Item::Vpc(v) => Some(v),
            _ => None,
        })
        .flat_map(|v| v.items.iter())
}

fn subnets(file: &ast::File) -> impl Iterator<Item = &ast::Subnet> {
    vpc_items(file).filter_map(|i| match i {
        ast::VpcItem::Subnet(s) => Some(s),
        _ => None,
    })
}

fn route_tables(file: &ast::File) -> Vec<&ast::RouteTable> {
    vpc_items(file)
        .filter_map(|i| match i {
            ast::VpcItem::RouteTable(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn symbol_kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::External => SymbolKind::CONSTANT,
        Kind::Vpc => SymbolKind::NAMESPACE,
        Kind::Peering => SymbolKind::INTERFACE,
        Kind::InternetGateway | Kind::NatGateway => SymbolKind::EVENT,
        Kind::Subnet => SymbolKind::MODULE,
        Kind::RouteTable => SymbolKind::ENUM,
        Kind::GatewayEndpoint | Kind::InterfaceEndpoint => SymbolKind::FUNCTION,
        Kind::SecurityGroup | Kind::NetworkAcl => SymbolKind::STRUCT,
        Kind::Instance => SymbolKind::OBJECT,
    }
}

fn completion_kind(kind: Kind) -> CompletionItemKind {
    match kind {
        Kind::External => CompletionItemKind::CONSTANT,
        Kind::Vpc | Kind::Subnet => CompletionItemKind::MODULE,
        Kind::Peering
        | Kind::InternetGateway
        | Kind::NatGateway
        | Kind::GatewayEndpoint
        | Kind::InterfaceEndpoint => CompletionItemKind::INTERFACE,
        Kind::RouteTable => CompletionItemKind::ENUM,
        Kind::SecurityGroup | Kind::NetworkAcl => CompletionItemKind::STRUCT,
        Kind::Instance => CompletionItemKind::VARIABLE,
    }
}

/// The number of addresses of a network and how many AWS leaves usable in
/// a subnet of it (five are reserved).
fn sizes(net: Ipv4Net) -> (u64, u64) {
    let size = 1u64 << (32 - u32::from(net.prefix_len()));
    (size, size.saturating_sub(5))
}

/// The hover of a CIDR: range, size, usable count and the five addresses
/// AWS reserves in a subnet with this range.
pub fn cidr_facts(net: Ipv4Net) -> String {
    let network = net.trunc();
    let (first, last) = (network.network(), network.broadcast());
    let (size, usable) = sizes(network);
    let mut text =
        format!("`{net}`: `{first}` – `{last}`\n\n{size} addresses, {usable} usable in a subnet");
    if net != network {
        text.push_str(&format!(
            "\n\nhost bits are set: the network is `{network}`"
        ));
    }
    if size >= 8 {
        let base = u32::from(first);
        text.push_str("\n\nreserved by AWS in a subnet:");
        for (addr, role) in [
            (base, "network address"),
            (base + 1, "VPC router"),
            (base + 2, "DNS server"),
            (base + 3, "reserved for future use"),
            (
                u32::from(last),
                "broadcast (reserved; VPCs do not support broadcast)",
            ),
        ] {
            text.push_str(&format!("\n- `{}` {role}", Ipv4Addr::from(addr)));
        }
    }
    text
}

/// The hover of an address: which subnet it is in, and whether that is one
/// of the subnet's reserved addresses.
fn address_facts(index: &Index, addr: Ipv4Addr) -> String {
    let mut text = format!("`{addr}`");
    let subnet = index
        .decls
        .iter()
        .filter(|d| d.kind == Kind::Subnet)
        .find_map(|d| {
            let cidr = d.detail.split(' ').next()?.parse::<Ipv4Net>().ok()?;
            cidr.contains(&addr).then_some((d, cidr))
        });
    if let Some((d, cidr)) = subnet {
        let offset = u32::from(addr) - u32::from(cidr.network());
        let role = match offset {
            0 => Some("the network address"),
            1 => Some("the VPC router"),
            2 => Some("the DNS server"),
            3 => Some("reserved for future use"),
            _ if addr == cidr.broadcast() => Some("the broadcast address"),
            _ => None,
        };
        text.push_str(&format!(" in subnet `{}` ({cidr})", d.name));
        if let Some(role) = role {
            text.push_str(&format!(": reserved by AWS, {role}"));
        }
    }
    text
}

#[cfg(test)]
mod tests;

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
