//! Characters that have no business in an identifier a person reads: invisible ones
//! (zero-width, BOM, fillers, variation selectors), bidi controls that reorder text,
//! private-use and tag characters, and control characters. Emails and the names of
//! factors and devices refuse them, so that two different strings cannot look the same
//! on screen.

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

/// Longest name of a factor or device, in characters.
pub const NAME_MAX: usize = 64;

/// The name a person gives an authenticator (a factor or a device), as every surface
/// takes it: trimmed, `None` when blank, refused (with the reason, to follow the field's
/// name) when longer than [`NAME_MAX`] characters or holding a hidden character.
pub fn factor_name(raw: &str) -> Result<Option<String>, &'static str> {
    let name = raw.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if name.chars().count() > NAME_MAX {
        return Err("must be at most 64 characters");
    }
    if name.chars().any(is_hidden) {
        return Err("must not contain control, invisible or text-direction characters");
    }
    Ok(Some(name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_names() {
        assert_eq!(factor_name("  Work phone "), Ok(Some("Work phone".into())));
        assert_eq!(factor_name(" \t "), Ok(None));
        assert_eq!(factor_name(&"é".repeat(64)), Ok(Some("é".repeat(64))));
        assert!(factor_name(&"a".repeat(65)).is_err());
        for bad in ["Pixel\u{202e}9", "Pixel\u{0007}", "Pix\u{200b}el", "a\nb"] {
            assert!(factor_name(bad).is_err(), "{bad:?}");
        }
    }

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
