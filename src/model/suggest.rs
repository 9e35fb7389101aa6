//! "Did you mean …?" for names, fields and kinds.

/// The candidate most like `name`, if one is close enough to be a typo.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_typos_only() {
        assert_eq!(
            super::closest("partitons", ["name", "partitions", "key"]),
            Some("partitions")
        );
        assert_eq!(super::closest("zzz", ["name", "partitions"]), None);
    }
}
