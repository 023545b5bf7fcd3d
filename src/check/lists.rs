//! Customer-managed prefix lists: their entries and `max_entries` (E0416).
//! What a reference to one costs against a table's or a group's quota is a
//! warning (W0611, `warnings.rs`); routes to one are built in `routes.rs`.

use super::*;

/// AWS's range for `MaxEntries` (CreateManagedPrefixList).
pub(super) const MAX_ENTRIES: std::ops::RangeInclusive<u32> = 1..=1000;

impl Cx {
    pub(super) fn prefix_list(&mut self, l: &ast::PrefixList) {
        let lname = &l.name.text;
        let owner = format!("prefix list `{lname}`");
        let mut entries: Vec<Ipv4Net> = Vec::with_capacity(l.entries.len());
        let mut seen: BTreeMap<Ipv4Net, Span> = BTreeMap::new();
        for c in &l.entries {
            let n = cidr::aligned(c, &owner, &mut self.diags);
            if let Some(first) = seen.get(&n) {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0416,
                        format!("prefix list `{lname}` lists {n} twice"),
                        c.span,
                        "second entry for this CIDR",
                    )
                    .with_secondary(*first, "first entry for it")
                    .with_note("AWS refuses a prefix list with two entries for one CIDR")
                    .with_help("remove one of them"),
                );
            } else {
                seen.insert(n, c.span);
                entries.push(n);
            }
        }
        if !MAX_ENTRIES.contains(&l.max_entries) {
            self.diags.push(
                Diagnostic::new(
                    Code::E0416,
                    format!(
                        "prefix list `{lname}` has max_entries {}, outside 1–1000",
                        shown_count(l.max_entries)
                    ),
                    l.max_entries_span,
                    "not in 1–1000",
                )
                .with_note("AWS takes a maximum of 1 to 1000 entries when it creates a prefix list")
                .with_help(if l.max_entries == 0 {
                    format!("write `max_entries {}` or more", entries.len().max(1))
                } else {
                    "write `max_entries 1000` or less".to_string()
                }),
            );
        } else if entries.len() > l.max_entries as usize {
            self.diags.push(
                Diagnostic::new(
                    Code::E0416,
                    format!(
                        "prefix list `{lname}` has {} entries but max_entries {}",
                        entries.len(),
                        l.max_entries
                    ),
                    l.entries_span,
                    format!("{} entries", entries.len()),
                )
                .with_secondary(l.max_entries_span, "the most it may hold")
                .with_note("AWS refuses entries beyond a prefix list's maximum")
                .with_help(format!(
                    "raise it to `max_entries {}`, or remove entries",
                    entries.len()
                )),
            );
        }
        self.model.prefix_lists.push(PrefixList {
            name: lname.clone(),
            entries,
            max_entries: l.max_entries,
            span: l.span,
        });
    }
}

/// A count as written, saturated values shown as "more than 4294967294".
fn shown_count(n: u32) -> String {
    if n == u32::MAX {
        "too large".to_string()
    } else {
        n.to_string()
    }
}
