//! A CustomResourceDefinition's CEL rule, checked on a value: never panics or hangs, whatever
//! the rule's text (the first line of the input) and the value (the rest, as JSON, or else as
//! a string).
#![no_main]

use kubevet::schema::check_rule_on;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (rule, rest) = text.split_once('\n').unwrap_or((text, ""));
    let value = serde_json::from_str(rest).unwrap_or_else(|_| serde_json::Value::from(rest));
    let (_, findings) = check_rule_on(rule, &value);
    for f in &findings {
        assert!(!f.message.is_empty());
    }
});
