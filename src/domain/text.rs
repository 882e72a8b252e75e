//! Characters that have no business in an identifier a person reads: invisible ones
//! (zero-width, BOM, fillers, variation selectors), bidi controls that reorder text,
//! private-use and tag characters, and control characters. Emails and device names
//! refuse them, so that two different strings cannot look the same on screen.

/// Whether `c` is invisible, a bidi control, private-use, a tag or a control character.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x00AD                  // soft hyphen
            | 0x034F                // combining grapheme joiner
            | 0x061C                // Arabic letter mark
            | 0x115F | 0x1160 | 0x3164 | 0xFFA0 // Hangul fillers
            | 0x17B4 | 0x17B5       // Khmer inherent vowels
            | 0x180B..=0x180F       // Mongolian variation selectors, vowel separator
            | 0x200B..=0x200F       // zero-width space/joiners, LRM, RLM
            | 0x2028..=0x202E       // separators, bidi embeddings and overrides
            | 0x2060..=0x206F       // word joiner, invisible operators, bidi isolates
            | 0xFE00..=0xFE0F       // variation selectors
            | 0xFEFF                // BOM / zero-width no-break space
            | 0xFFF0..=0xFFFB       // interlinear annotation, specials
            | 0xE000..=0xF8FF       // private use
            | 0xE0000..=0xE0FFF     // tags, variation selectors supplement
            | 0xF0000..=0x10FFFF    // supplementary private use
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_caught() {
        for c in [
            '\u{200B}',
            '\u{200D}',
            '\u{FEFF}',
            '\u{202E}',
            '\u{2066}',
            '\u{E000}',
            '\u{E0041}',
            '\u{F0000}',
            '\u{0007}',
            '\u{FE0F}',
            '\u{00AD}',
        ] {
            assert!(is_hidden(c), "{:04X}", c as u32);
        }
        for c in ['a', 'é', 'ß', 'ж', '中', '😀', '-', '.'] {
            assert!(!is_hidden(c), "{c}");
        }
    }
}
