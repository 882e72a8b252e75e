//! Issue 18 (second review): see the README's "After the second review".

#[allow(unused_imports)]
use crate::helpers::*;
