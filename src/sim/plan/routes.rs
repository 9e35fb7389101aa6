//! Who handles a message type at one service or consumer group, for the hot path.
//!
//! A service handles a few types out of the model's thousands, so a table indexed by
//! every type would make the plan grow with services × types (400 MB for 5,000
//! services). A [`Routes`] keeps a dense window from the lowest to the highest type
//! it routes when that window is small, and otherwise the routed types sorted, found
//! by binary search. Both answer in a few instructions and take memory in proportion
//! to what the element handles.

use std::collections::BTreeMap;

use super::{Target, TypeId};

/// A window may hold this many unrouted slots per routed type (plus a few) before the
/// sorted form is used instead.
const SLACK_PER_ROUTE: usize = 4;
const SLACK: usize = 16;

/// Type → target for one service or consumer group; `Ignore` for types not routed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Routes {
    /// Targets of the types `lo`, `lo + 1`, … (`Ignore` for gaps).
    Window {
        /// The lowest routed type.
        lo: TypeId,
        /// One target per type from `lo`.
        table: Box<[Target]>,
    },
    /// The routed types, sorted.
    Sorted(Box<[(TypeId, Target)]>),
}

impl Default for Routes {
    fn default() -> Self {
        Routes::Sorted(Box::new([]))
    }
}

impl Routes {
    /// The routes of a map, in its compact form.
    pub fn new(map: &BTreeMap<TypeId, Target>) -> Self {
        let (Some((&lo, _)), Some((&hi, _))) = (map.first_key_value(), map.last_key_value()) else {
            return Routes::default();
        };
        let span = (hi - lo) as usize + 1;
        if span <= map.len() * SLACK_PER_ROUTE + SLACK {
            let mut table = vec![Target::Ignore; span];
            for (ty, target) in map {
                table[(ty - lo) as usize] = *target;
            }
            Routes::Window {
                lo,
                table: table.into_boxed_slice(),
            }
        } else {
            Routes::Sorted(map.iter().map(|(t, x)| (*t, *x)).collect())
        }
    }

    /// Who handles `ty` here.
    #[inline]
    pub fn get(&self, ty: TypeId) -> Target {
        match self {
            Routes::Window { lo, table } => table
                .get(ty.wrapping_sub(*lo) as usize)
                .copied()
                .unwrap_or(Target::Ignore),
            Routes::Sorted(pairs) => pairs
                .binary_search_by_key(&ty, |(t, _)| *t)
                .map_or(Target::Ignore, |i| pairs[i].1),
        }
    }

    /// Bytes these routes take beyond their own size.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Routes::Window { table, .. } => std::mem::size_of_val(&**table),
            Routes::Sorted(pairs) => std::mem::size_of_val(&**pairs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(TypeId, u32)]) -> BTreeMap<TypeId, Target> {
        pairs
            .iter()
            .map(|&(t, h)| (t, Target::Handler(h)))
            .collect()
    }

    #[test]
    fn every_type_gets_its_target_in_both_forms() {
        let near = map(&[(10, 0), (12, 1), (13, 2)]);
        let far = map(&[(3, 0), (9_000, 1), (70_000, 2)]);
        for (m, window) in [(&near, true), (&far, false)] {
            let r = Routes::new(m);
            assert_eq!(matches!(r, Routes::Window { .. }), window);
            for ty in 0..80_000 {
                let want = m.get(&ty).copied().unwrap_or(Target::Ignore);
                assert_eq!(r.get(ty), want, "type {ty}");
            }
        }
    }

    #[test]
    fn memory_follows_what_is_routed_not_the_type_count() {
        let far = Routes::new(&map(&[(3, 0), (9_000, 1), (70_000, 2)]));
        assert!(far.heap_bytes() <= 3 * 12, "{}", far.heap_bytes());
        assert_eq!(Routes::new(&BTreeMap::new()).get(0), Target::Ignore);
    }
}
