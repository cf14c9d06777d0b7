//! The batch line writer: the report's JSON line, with the pack's parts
//! serialized once.

use super::{
    AdviceReport, NextSteps, PackInfo, SCHEMA_VERSION, Tool, cause_evidence, outside_knee,
    triage_reasons,
};
use crate::answers::{Answers, Value};
use crate::engine::{self, Assessment};
use crate::model::{Care, Pack};

/// Writes report lines byte for byte as [`Report::to_json_line`] does,
/// several times faster: the parts that come from the pack alone (advice
/// items, cause names and texts, level wording, the disclaimer) are
/// serialized once, and only the parts that depend on the answers are
/// serialized per line. `batch` uses it; a test checks the two agree.
pub struct LineWriter<'p> {
    pack: &'p Pack,
    /// `{"schema_version":1,`
    start: String,
    /// `"tool":{..},"pack":{..},`
    tool_pack: String,
    /// Per care: `"triage":{"level":..,"label":..,"action":..,"reasons":`
    head: Vec<String>,
    /// Per care: `],"care":..,"care_text":..},"unanswered_warnings":`
    care_tail: Vec<String>,
    /// Per triage rule: its id as a JSON string.
    rule_ids: Vec<String>,
    /// Per cause: `{"id":..,"kind":..,"name":..,"likelihood":`
    cause_head: Vec<String>,
    /// Per cause: `"about":..}`, or `"about":..,"settles":..}`
    cause_about: Vec<String>,
    /// `"no_clear_pattern":..,`
    no_clear_pattern: String,
    /// Per advice item: the whole object.
    advice: Vec<String>,
    /// `"disclaimer":..}`
    tail: String,
    /// Question indices in the order of their ids, as the answers object
    /// is written (a JSON object's keys in sorted order).
    keys_sorted: Vec<usize>,
    /// Per question: `"id":`.
    keys: Vec<String>,
    /// Per question, per option: the value as a JSON string.
    options: Vec<Vec<String>>,
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

impl<'p> LineWriter<'p> {
    pub fn new(pack: &'p Pack) -> LineWriter<'p> {
        let head = Care::ALL
            .iter()
            .map(|&c| {
                let l = c.level();
                let t = pack.level_text(l);
                format!(
                    "\"triage\":{{\"level\":{},\"label\":{},\"action\":{},\"reasons\":",
                    json_str(l.as_str()),
                    json_str(&t.label),
                    json_str(pack.care_text(c))
                )
            })
            .collect();
        let care_tail = Care::ALL
            .iter()
            .map(|&c| {
                format!(
                    "],\"care\":{},\"care_text\":{}}},\"unanswered_warnings\":",
                    json_str(c.as_str()),
                    json_str(pack.care_text(c))
                )
            })
            .collect();
        let advice = pack
            .advice
            .iter()
            .map(|item| {
                serde_json::to_string(&AdviceReport {
                    id: item.id.clone(),
                    category: item.category,
                    title: item.title.clone(),
                    text: item.text.clone(),
                    source: item.source.clone(),
                })
                .unwrap_or_default()
            })
            .collect();
        LineWriter {
            pack,
            start: format!("{{\"schema_version\":{SCHEMA_VERSION},"),
            tool_pack: format!(
                "\"tool\":{},\"pack\":{},",
                serde_json::to_string(&Tool::this()).unwrap_or_default(),
                serde_json::to_string(&PackInfo::of(pack)).unwrap_or_default()
            ),
            head,
            care_tail,
            rule_ids: pack.triage.iter().map(|r| json_str(&r.id)).collect(),
            cause_head: pack
                .causes
                .iter()
                .map(|c| {
                    format!(
                        "{{\"id\":{},\"kind\":{},\"name\":{},\"likelihood\":",
                        json_str(&c.id),
                        json_str(c.kind.as_str()),
                        json_str(&c.name)
                    )
                })
                .collect(),
            cause_about: pack
                .causes
                .iter()
                .map(|c| match &c.settles {
                    Some(t) => format!(
                        "\"about\":{},\"settles\":{}}}",
                        json_str(&c.about),
                        json_str(&t.text)
                    ),
                    None => format!("\"about\":{}}}", json_str(&c.about)),
                })
                .collect(),
            no_clear_pattern: format!(
                "\"no_clear_pattern\":{},",
                json_str(&pack.meta.no_clear_pattern)
            ),
            advice,
            tail: format!("\"disclaimer\":{}}}", json_str(&pack.meta.disclaimer)),
            keys_sorted: {
                let mut order: Vec<usize> = (0..pack.questions.len()).collect();
                order.sort_by(|&a, &b| pack.questions[a].id.cmp(&pack.questions[b].id));
                order
            },
            keys: pack
                .questions
                .iter()
                .map(|q| format!("{}:", json_str(&q.id)))
                .collect(),
            options: pack
                .questions
                .iter()
                .map(|q| q.options.iter().map(|o| json_str(&o.value)).collect())
                .collect(),
        }
    }

    pub fn pack(&self) -> &'p Pack {
        self.pack
    }

    /// Appends the report line for these answers (without a newline).
    pub fn write(&self, answers: &Answers, a: &Assessment, out: &mut Vec<u8>) {
        let pack = self.pack;
        let string = |out: &mut Vec<u8>, s: &str| {
            // Writing into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, s);
        };
        let strings = |out: &mut Vec<u8>, items: &[String]| {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(out, item);
            }
            out.push(b']');
        };
        out.extend_from_slice(self.start.as_bytes());
        if let Some(id) = answers.id() {
            out.extend_from_slice(b"\"id\":");
            let _ = serde_json::to_writer(&mut *out, id);
            out.push(b',');
        }
        out.extend_from_slice(self.tool_pack.as_bytes());
        out.extend_from_slice(self.head[a.care.index()].as_bytes());
        let unanswered = engine::unanswered_warnings(pack, answers, a.level);
        strings(
            out,
            &triage_reasons(pack, answers, a, !unanswered.is_empty()),
        );
        out.extend_from_slice(b",\"rules\":[");
        for (n, &i) in a.triage.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(self.rule_ids[i].as_bytes());
        }
        out.extend_from_slice(self.care_tail[a.care.index()].as_bytes());
        let ids: Vec<String> = unanswered
            .iter()
            .map(|&q| pack.questions[q].id.clone())
            .collect();
        strings(out, &ids);
        out.extend_from_slice(b",\"next_steps\":");
        let _ = serde_json::to_writer(&mut *out, &NextSteps::new(pack, a));
        let outside = outside_knee(pack, answers);
        if !outside.is_empty() {
            out.extend_from_slice(b",\"conditions_outside_knee\":");
            let _ = serde_json::to_writer(&mut *out, &outside);
        }
        out.extend_from_slice(b",\"causes\":[");
        for (n, cs) in a.causes.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            let (evidence_lines, against, rules) = cause_evidence(pack, answers, cs);
            out.extend_from_slice(self.cause_head[cs.cause].as_bytes());
            out.push(b'"');
            out.extend_from_slice(cs.likelihood.as_str().as_bytes());
            out.extend_from_slice(b"\",\"score\":");
            let _ = serde_json::to_writer(&mut *out, &cs.score(pack));
            out.extend_from_slice(b",\"points\":");
            let _ = serde_json::to_writer(&mut *out, &cs.points);
            out.extend_from_slice(b",\"evidence\":");
            strings(out, &evidence_lines);
            out.extend_from_slice(b",\"against\":");
            strings(out, &against);
            out.extend_from_slice(b",\"rules\":");
            let _ = serde_json::to_writer(&mut *out, &rules);
            out.push(b',');
            out.extend_from_slice(self.cause_about[cs.cause].as_bytes());
        }
        out.extend_from_slice(b"],");
        if a.causes
            .iter()
            .all(|c| pack.causes[c.cause].kind.as_str() != "condition")
        {
            out.extend_from_slice(self.no_clear_pattern.as_bytes());
        }
        out.extend_from_slice(b"\"advice\":[");
        for (n, &i) in a.advice.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(self.advice[i].as_bytes());
        }
        out.extend_from_slice(b"],\"answers\":{");
        let mut first = true;
        for &q in &self.keys_sorted {
            let Some(value) = answers.get(q) else {
                continue;
            };
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(self.keys[q].as_bytes());
            let options = &self.options[q];
            match value {
                Value::Choice(i) => {
                    out.extend_from_slice(options.get(i as usize).map_or(b"\"\"", |o| o.as_bytes()))
                }
                Value::Flag(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
                Value::Num(n) => {
                    if n.fract() == 0.0 && n.abs() < 1e15 {
                        let _ = serde_json::to_writer(&mut *out, &(n as i64));
                    } else if n.is_finite() {
                        let _ = serde_json::to_writer(&mut *out, &n);
                    } else {
                        out.extend_from_slice(b"null");
                    }
                }
                Value::Items(bits) => {
                    out.push(b'[');
                    let mut first_item = true;
                    for (i, o) in options.iter().enumerate() {
                        if i < 64 && bits & (1 << i) != 0 {
                            if !first_item {
                                out.push(b',');
                            }
                            first_item = false;
                            out.extend_from_slice(o.as_bytes());
                        }
                    }
                    out.push(b']');
                }
            }
        }
        out.extend_from_slice(b"},");
        out.extend_from_slice(self.tail.as_bytes());
    }
}
