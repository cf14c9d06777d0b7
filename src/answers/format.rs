//! Numbers, lists and allowed values in words, shared by error messages and
//! the report so both say a value the same way.

use super::parse::is_distance;
use crate::model::{Question, QuestionKind};

/// "a", "a and b", "a, b and c".
pub fn join_words(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
    }
}

/// Whole numbers without a decimal point; others to at most one decimal.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.1}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// What a question accepts, in words, for error messages.
pub fn allowed(q: &Question) -> String {
    let range = || match (q.min, q.max) {
        (Some(lo), Some(hi)) => format!(" from {} to {}", format_number(lo), format_number(hi)),
        (Some(lo), None) => format!(" of at least {}", format_number(lo)),
        (None, Some(hi)) => format!(" of at most {}", format_number(hi)),
        (None, None) => String::new(),
    };
    match q.kind {
        QuestionKind::Enum => q.option_values().join(", "),
        QuestionKind::List => format!("any of {} (comma-separated)", q.option_values().join(", ")),
        QuestionKind::Bool => "true or false (also yes or no)".into(),
        QuestionKind::Int => format!("a whole number{}", range()),
        QuestionKind::Number if is_distance(q) => format!(
            "a distance in km{}, or in miles such as 25mi or \"25 mi\"",
            range()
        ),
        QuestionKind::Number => format!("a number{}", range()),
        QuestionKind::Days => format!(
            "a whole number of days{}, or a duration such as 10d, 3w, 2m, \"3 weeks\" or \"2 months\"",
            range()
        ),
    }
}
