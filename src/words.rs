//! Words for people: how counts are written in every message, report and label.

/// `n` things in words: `1 saga`, `3 sagas`, `0 sagas`. `many` is the plural form
/// (`"processes"`, `"replies"`); pass `None` to add an `s`.
pub fn count(n: usize, one: &str, many: Option<&str>) -> String {
    match (n, many) {
        (1, _) => format!("1 {one}"),
        (_, Some(many)) => format!("{n} {many}"),
        (_, None) => format!("{n} {one}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_every_other_count_plural() {
        assert_eq!(count(1, "saga", None), "1 saga");
        assert_eq!(count(0, "saga", None), "0 sagas");
        assert_eq!(count(2, "reply", Some("replies")), "2 replies");
    }
}
