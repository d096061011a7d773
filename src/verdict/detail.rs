//! The English detail of a check, made only when it is read.
//!
//! A verification records about twenty checks, and many consumers read only the verdict and the
//! details of the checks that did not pass (the MSign answers, the batch CLI's text output, the
//! log line, a library caller that tests the indication). A [`Detail`] is a fixed text, a text
//! already made, or a closure that makes the text on first read and keeps it
//! ([`Detail::lazy`], usually through [`crate::detail!`]); the JSON reports, which carry every
//! detail, read them all.

use std::fmt;
use std::sync::{Arc, OnceLock};

/// The English detail of a check: compared, printed and serialised as its text.
#[derive(Clone)]
pub struct Detail(Repr);

#[derive(Clone)]
enum Repr {
    Fixed(&'static str),
    Made(String),
    Lazy(Arc<dyn MakeText>),
}

/// A text made once, when first read.
trait MakeText: Send + Sync {
    fn text(&self) -> &str;
}

struct Lazy<F> {
    make: F,
    made: OnceLock<String>,
}

impl<F: Fn() -> String + Send + Sync> MakeText for Lazy<F> {
    fn text(&self) -> &str {
        self.made.get_or_init(&self.make)
    }
}

impl Detail {
    /// A detail made by `make` when it is first read. `make` must only format what it captured:
    /// it runs at most once, possibly on another thread, possibly never.
    pub fn lazy(make: impl Fn() -> String + Send + Sync + 'static) -> Detail {
        Detail(Repr::Lazy(Arc::new(Lazy {
            make,
            made: OnceLock::new(),
        })))
    }

    /// The text (made now if it was not yet).
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Fixed(s) => s,
            Repr::Made(s) => s,
            Repr::Lazy(l) => l.text(),
        }
    }
}

impl Default for Detail {
    fn default() -> Detail {
        Detail(Repr::Fixed(""))
    }
}

impl std::ops::Deref for Detail {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for Detail {
    fn from(s: &'static str) -> Detail {
        Detail(Repr::Fixed(s))
    }
}

impl From<String> for Detail {
    fn from(s: String) -> Detail {
        Detail(Repr::Made(s))
    }
}

impl From<std::borrow::Cow<'static, str>> for Detail {
    fn from(s: std::borrow::Cow<'static, str>) -> Detail {
        match s {
            std::borrow::Cow::Borrowed(s) => Detail(Repr::Fixed(s)),
            std::borrow::Cow::Owned(s) => Detail(Repr::Made(s)),
        }
    }
}

impl From<Detail> for String {
    fn from(d: Detail) -> String {
        match d.0 {
            Repr::Made(s) => s,
            other => Detail(other).as_str().to_string(),
        }
    }
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Detail {
    fn eq(&self, other: &Detail) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Detail {}

impl PartialEq<str> for Detail {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Detail {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Detail {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl serde::Serialize for Detail {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A [`Detail`] formatted only when read: `detail!("valid {} to {}", from, to)` is `format!`
/// run in a `move` closure, so what the arguments name is moved into it: it must be owned
/// (`Copy` values, clones, `Arc`s), never borrowed from the input.
#[macro_export]
macro_rules! detail {
    ($($format:tt)+) => {
        $crate::verdict::Detail::lazy(move || format!($($format)+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_lazy_detail_is_made_once_and_only_when_read() {
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = runs.clone();
        let d = Detail::lazy(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            format!("valid to {}", 2045)
        });
        let copy = d.clone();
        assert_eq!(runs.load(Ordering::SeqCst), 0);
        assert_eq!(d.as_str(), "valid to 2045");
        assert_eq!(copy, "valid to 2045");
        assert_eq!(format!("{d}"), "valid to 2045");
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn every_form_compares_and_serialises_as_its_text() {
        let fixed = Detail::from("content available");
        let made = Detail::from(String::from("content available"));
        let what = "available";
        let lazy = crate::detail!("content {what}");
        assert_eq!(fixed, made);
        assert_eq!(made, lazy);
        assert_eq!(serde_json::to_string(&lazy).unwrap(), "\"content available\"");
        assert_eq!(format!("{lazy:?}"), "\"content available\"");
        assert_eq!(String::from(lazy), "content available");
        assert!(Detail::default().is_empty());
    }
}
