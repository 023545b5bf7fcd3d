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
pub mod expects;
pub mod server;

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use ipnet::{Ipv4Net, Ipv6Net};
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
    /// The syntax tree, when the text parses.
    ast: Option<ast::File>,
    /// The resolved model, when the file checks (shared with the `expect`
    /// job walking it).
    model: Option<Arc<crate::model::Model>>,
    /// Parse and check diagnostics, before suppression.
    checked: Vec<Diagnostic>,
    /// The `expect` diagnostics (E0501), once walked; `None` while a job
    /// for this version is pending.
    expects: Option<Vec<Diagnostic>>,
    /// What is published: all of the above, suppressions applied.
    published: Vec<Diagnostic>,
    /// The keys of the expectations that held in the last version walked.
    cache: Arc<expects::Cache>,
    /// The index of the current text, when it parses.
    index: Option<Arc<Index>>,
    /// The index of the last text that parsed, for completion.
    last_good: Option<Arc<Index>>,
    /// The project settings (`vpcc.toml`) the file is compiled under.
    config: crate::config::Config,
}

impl Document {
    /// A document compiled with no project settings.
    pub fn new(text: String) -> Document {
        Document::with_config(text, crate::config::Config::default())
    }

    /// A document compiled under a project's `vpcc.toml` settings, its
    /// `expect`s walked before this returns.
    pub fn with_config(text: String, config: crate::config::Config) -> Document {
        let mut doc = Document::pending(text, config, Arc::default(), None);
        doc.settle();
        doc
    }

    /// Walks the pending `expect`s here and now.
    fn settle(&mut self) {
        let uri = Uri::from_str("file:///").expect("a valid URI");
        if let Some(job) = self.job(uri, 0, Arc::default()) {
            let outcome = job
                .run()
                .expect("a job with no newer version is never stale");
            self.expects_done(outcome);
        }
    }

    /// A document parsed and checked, its `expect`s left to a [`Job`]
    /// (see [`Document::job`]); `last_good` is the previous version's
    /// index, kept for completion while this text does not parse.
    fn pending(
        text: String,
        config: crate::config::Config,
        cache: Arc<expects::Cache>,
        last_good: Option<Arc<Index>>,
    ) -> Document {
        let crate::Checked {
            ast,
            model,
            diagnostics,
        } = crate::compile_without_expects(&text);
        // The previous index goes before the new one is built, when this
        // text parses and so replaces it for completion.
        let last_good = if ast.is_some() { None } else { last_good };
        let index = ast.as_ref().map(|a| Arc::new(Index::new(a)));
        let model = model.map(Arc::new);
        // With no model there is nothing to walk: the diagnostics are final.
        let expects = model.is_none().then(Vec::new);
        let mut doc = Document {
            lines: Lines::new(&text),
            last_good: index.clone().or(last_good),
            index,
            ast,
            model,
            checked: diagnostics,
            expects,
            published: Vec::new(),
            cache,
            text,
            config,
        };
        doc.publish();
        doc
    }

    /// Recomputes what is published from the check and `expect` diagnostics.
    fn publish(&mut self) {
        let mut all = self.checked.clone();
        all.extend(self.expects.iter().flatten().cloned());
        self.published = crate::diag::suppress::apply(&self.text, all, &self.config).0;
    }

    /// Replaces the text, keeping the settings, the `expect` cache and the
    /// last good index for completion; the `expect`s are walked before this
    /// returns.
    pub fn update(&mut self, text: String) {
        self.replace(text);
        self.settle();
    }

    /// Replaces the text and checks it, leaving the `expect`s pending. The
    /// old version's tree, model and index go before the new ones are
    /// built, so two versions of a large file are never held at once.
    fn replace(&mut self, text: String) {
        let config = std::mem::take(&mut self.config);
        let cache = std::mem::take(&mut self.cache);
        let last_good = self.index.take().or_else(|| self.last_good.take());
        self.last_good = None;
        self.ast = None;
        self.model = None;
        self.checked = Vec::new();
        self.published = Vec::new();
        self.text = String::new();
        self.lines = Lines::new("");
        *self = Document::pending(text, config, cache, last_good);
    }

    /// The job that walks this version's `expect`s, or `None` when they are
    /// known (no model, or already walked).
    fn job(&self, uri: Uri, generation: u64, current: Arc<AtomicU64>) -> Option<expects::Job> {
        if self.expects.is_some() {
            return None;
        }
        let (ast, model) = (self.ast.as_ref()?, self.model.as_ref()?);
        Some(expects::Job::new(
            uri,
            generation,
            current,
            &self.text,
            ast,
            Arc::clone(model),
            Arc::clone(&self.cache),
        ))
    }

    /// Takes in a finished job's answers for this version.
    fn expects_done(&mut self, outcome: expects::Outcome) {
        self.cache = Arc::new(outcome.cache);
        self.expects = Some(outcome.diagnostics);
        self.publish();
    }

    /// Whether the diagnostics are final (the `expect`s walked).
    pub fn settled(&self) -> bool {
        self.expects.is_some()
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
        self.published
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
                Literal::Cidr6(net) => cidr6_facts(net),
                Literal::Address6(addr) => address6_facts(index, addr),
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
        let Some(file) = self.ast.as_ref() else {
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
                    routes.push_str(&format!("\n- `{}` → `{target}`", r.destination.text()));
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
        let index = self.index.as_deref().or(self.last_good.as_deref());
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
        Kind::External | Kind::PrefixList => SymbolKind::CONSTANT,
        Kind::Vpc => SymbolKind::NAMESPACE,
        Kind::Peering => SymbolKind::INTERFACE,
        Kind::InternetGateway | Kind::EgressOnlyGateway | Kind::NatGateway => SymbolKind::EVENT,
        Kind::Subnet => SymbolKind::MODULE,
        Kind::RouteTable => SymbolKind::ENUM,
        Kind::GatewayEndpoint | Kind::InterfaceEndpoint => SymbolKind::FUNCTION,
        Kind::SecurityGroup | Kind::NetworkAcl => SymbolKind::STRUCT,
        Kind::Instance => SymbolKind::OBJECT,
        Kind::TransitGateway => SymbolKind::NAMESPACE,
        Kind::TgwRouteTable => SymbolKind::ENUM,
        Kind::TgwAttachment | Kind::Vpn | Kind::VgwVpn => SymbolKind::INTERFACE,
        Kind::VpnGateway => SymbolKind::EVENT,
    }
}

fn completion_kind(kind: Kind) -> CompletionItemKind {
    match kind {
        Kind::External | Kind::PrefixList => CompletionItemKind::CONSTANT,
        Kind::Vpc | Kind::Subnet => CompletionItemKind::MODULE,
        Kind::Peering
        | Kind::TransitGateway
        | Kind::TgwAttachment
        | Kind::Vpn
        | Kind::VgwVpn
        | Kind::VpnGateway
        | Kind::InternetGateway
        | Kind::EgressOnlyGateway
        | Kind::NatGateway
        | Kind::GatewayEndpoint
        | Kind::InterfaceEndpoint => CompletionItemKind::INTERFACE,
        Kind::RouteTable | Kind::TgwRouteTable => CompletionItemKind::ENUM,
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

/// The first subnet declaration whose block (read from its detail by
/// `holds`) holds an address, with that block.
fn subnet_holding<N>(index: &Index, holds: impl Fn(&Decl) -> Option<N>) -> Option<(&Decl, N)> {
    index
        .decls
        .iter()
        .filter(|d| d.kind == Kind::Subnet)
        .find_map(|d| holds(d).map(|n| (d, n)))
}

/// The hover of an IPv6 CIDR: its range, its size, and for a subnet's /64
/// the five addresses AWS reserves (the first four and the last).
pub fn cidr6_facts(net: Ipv6Net) -> String {
    let network = net.trunc();
    let (first, last) = (network.network(), network.broadcast());
    let mut text = format!(
        "`{net}`: `{first}` – `{last}`\n\n2^{} addresses",
        128 - net.prefix_len()
    );
    match net.prefix_len() {
        56 => text.push_str(" (an Amazon-provided VPC block: 256 subnets of /64)"),
        64 => text.push_str(" (a subnet block)"),
        _ => {}
    }
    if net != network {
        text.push_str(&format!(
            "\n\nhost bits are set: the network is `{network}`"
        ));
    }
    if net.prefix_len() == 64 {
        let base = u128::from(first);
        text.push_str("\n\nreserved by AWS in a subnet (the first four and the last):");
        for addr in [base, base + 1, base + 2, base + 3, u128::from(last)] {
            text.push_str(&format!("\n- `{}`", Ipv6Addr::from(addr)));
        }
    }
    text
}

/// The hover of an IPv6 address: the subnet whose IPv6 block holds it,
/// and whether it is one of the addresses AWS reserves there.
fn address6_facts(index: &Index, addr: Ipv6Addr) -> String {
    let mut text = format!("`{addr}`");
    let subnet = subnet_holding(index, |d| {
        let mut words = d.detail.split(' ');
        words.find(|w| *w == "ipv6")?;
        let cidr = words.next()?.parse::<Ipv6Net>().ok()?.trunc();
        cidr.contains(&addr).then_some(cidr)
    });
    if let Some((d, cidr)) = subnet {
        let offset = u128::from(addr) - u128::from(cidr.network());
        let role = match offset {
            0..=3 => Some("one of the first four addresses"),
            _ if addr == cidr.broadcast() => Some("the last address"),
            _ => None,
        };
        text.push_str(&format!(" in subnet `{}` ({cidr})", d.name));
        if let Some(role) = role {
            text.push_str(&format!(": reserved by AWS, {role}"));
        }
    }
    text
}

/// The hover of an address: which subnet it is in, and whether that is one
/// of the subnet's reserved addresses.
fn address_facts(index: &Index, addr: Ipv4Addr) -> String {
    let mut text = format!("`{addr}`");
    let subnet = subnet_holding(index, |d| {
        let cidr = d.detail.split(' ').next()?.parse::<Ipv4Net>().ok()?;
        cidr.contains(&addr).then_some(cidr)
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
