//! Independent work on every core, with results in input order.
//!
//! Output never depends on scheduling: each item's result lands at the
//! item's index, whatever thread computed it and whenever it finished.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most items handed to a thread at a time: few enough to balance
/// uneven items, enough that taking a chunk costs nothing next to them.
const MAX_CHUNK: usize = 16;

/// `items.iter().map(|x| f(&state, x)).collect()`, on up to
/// `available_parallelism` threads. Each thread makes its own `state` with
/// `init` (a cache such as [`crate::reach::Engine`], which need not be
/// `Send`). With one item, or one core, it runs on the calling thread.
pub fn map<T, R, S>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&S, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        let state = init();
        return items.iter().map(|x| f(&state, x)).collect();
    }
    // Eight chunks per thread at least, so a slow chunk does not leave
    // the other threads idle at the end; one item per chunk for a few
    // large items (files).
    let chunk = (items.len() / (threads * 8)).clamp(1, MAX_CHUNK);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Vec<R>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let state = init();
                loop {
                    let start = next.fetch_add(chunk, Ordering::Relaxed);
                    if start >= items.len() {
                        break;
                    }
                    let end = (start + chunk).min(items.len());
                    let out: Vec<R> = items[start..end].iter().map(|x| f(&state, x)).collect();
                    // A poisoned lock means another worker panicked; the
                    // scope re-raises that panic, so the data is moot.
                    if let Ok(mut d) = done.lock() {
                        d.push((start, out));
                    }
                }
            });
        }
    });
    let mut chunks = done.into_inner().unwrap_or_default();
    chunks.sort_unstable_by_key(|(start, _)| *start);
    chunks.into_iter().flat_map(|(_, out)| out).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_in_input_order() {
        let items: Vec<u64> = (0..1000).collect();
        let out = map(&items, || 3u64, |k, x| x * k);
        assert_eq!(out, items.iter().map(|x| x * 3).collect::<Vec<_>>());
    }

    #[test]
    fn uneven_work_keeps_order() {
        // Early items are slow, so later chunks finish first.
        let items: Vec<u32> = (0..100).collect();
        let out = map(
            &items,
            || (),
            |_, &x| {
                if x < 16 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                x + 1
            },
        );
        assert_eq!(out, (1..=100).collect::<Vec<u32>>());
    }

    #[test]
    fn empty_and_single() {
        assert!(map(&[] as &[u8], || (), |_, x| *x).is_empty());
        assert_eq!(map(&[7u8], || (), |_, x| *x), vec![7]);
    }
}
