//! The language server's `expect` checks: off the request path, and only
//! for the expectations an edit can have changed.
//!
//! An expectation's answer depends on its own statement and on the parts of
//! the file its flow can meet. A flow between two ends meets only the
//! components of the ends' VPCs (peering is not transitive; the internet, an
//! external or a service is reached from a VPC's own gateways and
//! endpoints), the VPCs whose security groups those VPCs' rules name, the
//! VPCs peered with them, and what is declared outside every VPC (region,
//! externals, peerings, and everything future top-level declarations add),
//! and every VPC's address blocks (they carve the internet's address space
//! out of 0.0.0.0/0). So each `expect` gets a **key**: a hash of its
//! statement's text, of the text outside the VPCs and the `expect`s, of
//! every VPC's blocks, and of the text of each VPC it depends on. Two
//! versions of a file whose keys for an expectation are equal give it the
//! same answer; text is compared, not positions, so an edit above a VPC
//! moves it without changing its key.
//!
//! A [`Cache`] keeps the keys of the expectations that held (a key that
//! held once holds whenever it comes back, so an undo walks nothing). A [`Job`] walks
//! the rest (a failed expectation is always walked again: its diagnostic
//! points into the current text) and is cancelled as soon as a newer
//! version of the document exists. `tests/lsp.rs` holds the reused answers
//! equal to a full `compile` on every one-line deletion of the examples.

use std::collections::{BTreeSet, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diag::Diagnostic;
use crate::model::{FlowEnd, Model, SgPeer, ViaComponent, VpcId};
use crate::reach::{Engine, check_expect};
use crate::syntax::ast;

/// Keys of expectations that held: those of the last version walked, and
/// of earlier ones while they are few.
#[derive(Clone, Debug, Default)]
pub struct Cache {
    held: HashSet<u64>,
}

/// The `expect` work of one version of one document.
#[derive(Debug)]
pub struct Job {
    pub uri: lsp_types::Uri,
    /// The document version the job belongs to (the server's count).
    pub generation: u64,
    /// The document's newest generation: when it moves past `generation`,
    /// the job stops.
    pub current: Arc<AtomicU64>,
    model: Arc<Model>,
    keys: Vec<u64>,
    cache: Arc<Cache>,
}

/// What a finished [`Job`] found.
#[derive(Debug)]
pub struct Outcome {
    pub uri: lsp_types::Uri,
    pub generation: u64,
    /// E0501 per failed expectation, in the model's order (as
    /// `reach::check_expects` gives them).
    pub diagnostics: Vec<Diagnostic>,
    /// The cache for the next version.
    pub cache: Cache,
    /// Expectations walked, and answered from the cache.
    pub walked: usize,
    pub reused: usize,
}

impl Job {
    pub fn new(
        uri: lsp_types::Uri,
        generation: u64,
        current: Arc<AtomicU64>,
        src: &str,
        ast: &ast::File,
        model: Arc<Model>,
        cache: Arc<Cache>,
    ) -> Job {
        let keys = keys(src, ast, &model);
        Job {
            uri,
            generation,
            current,
            model,
            keys,
            cache,
        }
    }

    fn stale(&self) -> bool {
        self.current.load(Ordering::Relaxed) != self.generation
    }

    /// Walks the expectations the cache cannot answer; `None` when a newer
    /// version of the document made the work pointless.
    pub fn run(self) -> Option<Outcome> {
        if self.stale() {
            return None;
        }
        let engine = Engine::new(&self.model);
        let mut diagnostics = Vec::new();
        let mut held = HashSet::new();
        let (mut walked, mut reused) = (0, 0);
        for (e, &key) in self.model.expects.iter().zip(&self.keys) {
            if self.cache.held.contains(&key) {
                reused += 1;
                held.insert(key);
                continue;
            }
            if self.stale() {
                return None;
            }
            walked += 1;
            match check_expect(&engine, e) {
                None => {
                    held.insert(key);
                }
                Some(d) => diagnostics.push(d),
            }
        }
        // A key names its inputs, so a key that held once holds for good:
        // keep the older ones too (an undo is then free), up to a bound.
        if self.cache.held.len() + held.len() <= 4 * self.keys.len() + 64 {
            held.extend(self.cache.held.iter().copied());
        }
        Some(Outcome {
            uri: self.uri,
            generation: self.generation,
            diagnostics,
            cache: Cache { held },
            walked,
            reused,
        })
    }
}

fn hash_of(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

fn text(src: &str, span: crate::source::Span) -> &str {
    src.get(span.start as usize..span.end as usize)
        .unwrap_or_default()
}

/// One key per `expect` of the model, in its order.
fn keys(src: &str, ast: &ast::File, model: &Model) -> Vec<u64> {
    // The text outside the VPCs and the expectations, and every VPC's blocks.
    let mut global = DefaultHasher::new();
    let mut vpc_text: Vec<u64> = Vec::new();
    for item in &ast.items {
        match item {
            ast::Item::Vpc(v) => vpc_text.push(hash_of(text(src, v.span))),
            ast::Item::Expect(_) => {}
            other => text(src, other.span()).hash(&mut global),
        }
    }
    for v in &model.vpcs {
        (&v.name, &v.cidrs).hash(&mut global);
    }
    let global = global.finish();
    // The model's VPCs are the file's, in source order.
    if vpc_text.len() != model.vpcs.len() {
        // Not expected; a key that never matches keeps the answer exact.
        vpc_text = (0..model.vpcs.len() as u64)
            .map(|i| hash_of((i, src.len(), "unkeyed")))
            .collect();
    }
    // What each VPC's flows can meet besides itself: the VPCs its security
    // groups name, and its peers.
    let mut reaches: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); model.vpcs.len()];
    for g in &model.security_groups {
        for r in &g.rules {
            if let SgPeer::Group(other) = r.peer {
                reaches[g.vpc.index()].insert(model.security_group(other).vpc.index());
            }
        }
    }
    for p in &model.peerings {
        reaches[p.a.index()].insert(p.b.index());
        reaches[p.b.index()].insert(p.a.index());
    }
    let stmt_texts: Vec<&str> = ast
        .items
        .iter()
        .filter_map(|i| match i {
            ast::Item::Expect(e) => Some(text(src, e.span)),
            _ => None,
        })
        .collect();
    model
        .expects
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut vpcs: BTreeSet<usize> = BTreeSet::new();
            for end in [&e.source, &e.destination] {
                if let Some(v) = end_vpc(model, end) {
                    vpcs.insert(v.index());
                }
            }
            for (via, _) in &e.via {
                vpcs.extend(via_vpcs(model, *via).into_iter().map(VpcId::index));
            }
            let direct: Vec<usize> = vpcs.iter().copied().collect();
            for v in direct {
                vpcs.extend(reaches[v].iter().copied());
            }
            let deps: Vec<u64> = vpcs.iter().map(|&v| vpc_text[v]).collect();
            // The statement as written; the model's span when the AST and
            // the model disagree on the count.
            let stmt = stmt_texts
                .get(i)
                .copied()
                .filter(|_| stmt_texts.len() == model.expects.len())
                .unwrap_or_else(|| text(src, e.span));
            hash_of((stmt, global, deps))
        })
        .collect()
}

fn end_vpc(model: &Model, end: &FlowEnd) -> Option<VpcId> {
    match end {
        FlowEnd::Instance(i) => Some(model.instance_vpc(*i)),
        FlowEnd::Subnet(s) => Some(model.subnet(*s).vpc),
        FlowEnd::InterfaceEndpoint(e) => Some(model.endpoint(*e).vpc),
        FlowEnd::External(_) | FlowEnd::Internet | FlowEnd::Service(_) => None,
    }
}

fn via_vpcs(model: &Model, via: ViaComponent) -> Vec<VpcId> {
    match via {
        ViaComponent::Instance(i) => vec![model.instance_vpc(i)],
        ViaComponent::NatGateway(n) => vec![model.subnet(model.nat_gateway(n).subnet).vpc],
        ViaComponent::InternetGateway(g) => vec![model.internet_gateway(g).vpc],
        ViaComponent::EgressOnlyGateway(g) => vec![model.egress_only_gateway(g).vpc],
        ViaComponent::Endpoint(e) => vec![model.endpoint(e).vpc],
        ViaComponent::Peering(p) => {
            let p = model.peering(p);
            vec![p.a, p.b]
        }
        ViaComponent::Subnet(s) => vec![model.subnet(s).vpc],
        ViaComponent::RouteTable(t) => vec![model.route_table(t).vpc],
        ViaComponent::TransitGateway(t) => model
            .transit_gateway(t)
            .attachments
            .iter()
            .filter_map(|a| model.tgw_attachment(*a).vpc())
            .collect(),
        ViaComponent::VpnGateway(g) => vec![model.vpn_gateway(g).vpc],
    }
}
