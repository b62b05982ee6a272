//! An hours text must say something: `""` is refused (it reads as "no hours given", yet would
//! mean "closed all week"); a period when a service is closed says `Mo-Su off`.

use super::Report;
use serde_json::Value;

/// Reports every `periods[k].hours` of a raw `schedule` object that is empty or blank.
pub fn check_not_empty(schedule: Option<&Value>, at: &str, field: &str, report: &mut Report) {
    let periods = schedule
        .and_then(|s| s.get("periods"))
        .and_then(Value::as_array);
    for (k, p) in periods.into_iter().flatten().enumerate() {
        if p.get("hours")
            .and_then(Value::as_str)
            .is_some_and(|h| h.trim().is_empty())
        {
            report.push(
                at,
                format!("{field}.schedule.periods[{k}].hours"),
                "is empty: give the opening hours (e.g. \"Mo-Fr 09:00-12:30\"), or \"Mo-Su off\" for a period when the service is closed",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn an_empty_or_blank_hours_text_is_reported_with_its_path() {
        let mut report = super::Report::default();
        let schedule = json!({"periods": [
            {"hours": "Mo-Fr 09:00-12:00"},
            {"valid_from": "2026-07-01", "valid_to": "2026-08-31", "hours": " "},
            {"hours": "Mo-Su off"},
        ]});
        super::check_not_empty(
            Some(&schedule),
            "feature 3 (loc-x)",
            "properties.services[0]",
            &mut report,
        );
        assert_eq!(report.0.len(), 1, "{report}");
        assert_eq!(
            report.0[0].field,
            "properties.services[0].schedule.periods[1].hours"
        );
        assert!(report.0[0].reason.contains("Mo-Su off"));
    }
}
