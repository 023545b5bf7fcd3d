//! A fast hasher for the checker's name table.
//!
//! On a large file the name table is hashed about 100,000 times (every
//! declaration and every reference), and std's SipHash was 7% of all the
//! instructions of `vpcc check` on the org preset. This is the Fx hash of
//! rustc and Firefox: one rotate, xor and multiply per 8 bytes.
//!
//! It is deterministic and not built to resist keys chosen to collide. The
//! keys are the names of the file being compiled (rustc makes the same
//! trade-off for identifiers in source code), and the table is never
//! iterated in hash order where the order could show (`Names::suggest`
//! sorts its candidates).

use std::hash::{BuildHasherDefault, Hasher};

/// `HashMap<K, V, FxBuild>`.
pub type FxBuild = BuildHasherDefault<FxHasher>;

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const K: u64 = 0x517c_c1b7_2722_0a95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = 0u64;
            for (i, &b) in rest.iter().enumerate() {
                w |= u64::from(b) << (8 * i);
            }
            self.add(w);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn distinguishes_names_that_differ_anywhere() {
        let names = [
            "a",
            "b",
            "ab",
            "ba",
            "v0-app-sg",
            "v0-app-sh",
            "v1-app-sg",
            "",
        ];
        let mut m: HashMap<&str, usize, FxBuild> = HashMap::default();
        for (i, n) in names.iter().enumerate() {
            m.insert(n, i);
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(m.get(n), Some(&i));
        }
        assert_eq!(m.get("c"), None);
    }
}
