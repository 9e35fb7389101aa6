//! Markdown escaping, one rule for every Markdown this crate writes (the event
//! catalogue, the review report).

/// Text for Markdown prose, a heading, a link's text or a table cell: every character
/// that could start markup is escaped (emphasis `*` `_`, strikethrough `~`, links `[`
/// `]`, code `` ` ``, table cells `|`, headings `#`, backslash escapes `\`; HTML `<`
/// `>` and entities `&` as character references), and line breaks become spaces, so
/// the text stays one paragraph, heading or cell and reads as written.
pub(crate) fn text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '*' | '_' | '~' | '[' | ']' | '`' | '|' | '#' | '\\' => {
                o.push('\\');
                o.push(c);
            }
            '\n' | '\r' => o.push(' '),
            _ => o.push(c),
        }
    }
    o
}

/// Text inside an inline code span in a table cell (`` `order-status` ``): nothing is
/// markup there except `|`, which would end the cell and so is escaped; line breaks
/// become spaces.
pub(crate) fn code(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_lines_are_joined() {
        assert_eq!(text("web shop"), "web shop");
        assert_eq!(text("a*b*_c_"), "a\\*b\\*\\_c\\_");
        assert_eq!(text("[x](y) `z` a|b"), "\\[x\\](y) \\`z\\` a\\|b");
        assert_eq!(text("# h ~~s~~ \\"), "\\# h \\~\\~s\\~\\~ \\\\");
        assert_eq!(text("<b> & &lt;"), "&lt;b&gt; &amp; &amp;lt;");
        assert_eq!(text("one\ntwo\r\n"), "one two  ");
        assert_eq!(code("a|b_c\nd"), "a\\|b_c d");
    }
}
