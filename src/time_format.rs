//! Times as people read them in an inbox: "2:14 PM", "Yesterday", "Mon", "Nov 3".
//!
//! Pure: the browser only supplies its time-zone offset.

const DAY_MS: i64 = 86_400_000;
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// A moment in the viewer's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// Days since 1970-01-01 in local time.
    pub day_number: i64,
    pub year: i64,
    /// 1 to 12.
    pub month: u32,
    pub day: u32,
    /// 0 is Sunday.
    pub weekday: u32,
    pub hour: u32,
    pub minute: u32,
}

impl LocalTime {
    /// `ms` since the epoch, seen from a zone `offset_minutes` ahead of UTC (UTC+2 is 120).
    pub fn from_utc_ms(ms: i64, offset_minutes: i64) -> LocalTime {
        let local = ms + offset_minutes * 60_000;
        let day_number = local.div_euclid(DAY_MS);
        let minute_of_day = local.rem_euclid(DAY_MS) / 60_000;
        let (year, month, day) = civil_from_days(day_number);
        LocalTime {
            day_number,
            year,
            month,
            day,
            weekday: (day_number + 4).rem_euclid(7) as u32,
            hour: (minute_of_day / 60) as u32,
            minute: (minute_of_day % 60) as u32,
        }
    }

    /// In the browser's own time zone (UTC outside a browser).
    pub fn in_browser(ms: i64) -> LocalTime {
        #[cfg(target_arch = "wasm32")]
        let offset = {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
            // getTimezoneOffset is minutes *behind* UTC.
            -(date.get_timezone_offset() as i64)
        };
        #[cfg(not(target_arch = "wasm32"))]
        let offset = 0;
        LocalTime::from_utc_ms(ms, offset)
    }

    fn clock(&self) -> String {
        let (hour, half) = match self.hour {
            0 => (12, "AM"),
            h @ 1..=11 => (h, "AM"),
            12 => (12, "PM"),
            h => (h - 12, "PM"),
        };
        format!("{hour}:{:02} {half}", self.minute)
    }

    fn date(&self, now: &LocalTime) -> String {
        let month = MONTHS[(self.month - 1) as usize];
        if self.year == now.year {
            format!("{month} {}", self.day)
        } else {
            format!("{month} {}, {}", self.day, self.year)
        }
    }
}

/// Days since the epoch to (year, month, day), proleptic Gregorian (Howard Hinnant's method).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// For a list row: the time today, "Yesterday", the weekday within a week, else the date.
pub fn short(at: &LocalTime, now: &LocalTime) -> String {
    match now.day_number - at.day_number {
        0 => at.clock(),
        1 => "Yesterday".to_owned(),
        2..=6 => WEEKDAYS[at.weekday as usize].to_owned(),
        _ => at.date(now),
    }
}

/// For a message in a thread: always with the time of day.
pub fn long(at: &LocalTime, now: &LocalTime) -> String {
    match now.day_number - at.day_number {
        0 => at.clock(),
        1 => format!("Yesterday, {}", at.clock()),
        _ => format!(
            "{}, {}, {}",
            WEEKDAYS[at.weekday as usize],
            at.date(now),
            at.clock()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-25 14:05 UTC, a Wednesday.
    const NOW_MS: i64 = 1_795_615_500_000;

    fn at(offset_ms: i64) -> LocalTime {
        LocalTime::from_utc_ms(NOW_MS - offset_ms, 0)
    }

    #[test]
    fn the_calendar_is_right() {
        let now = at(0);
        assert_eq!((now.year, now.month, now.day), (2026, 11, 25));
        assert_eq!((now.hour, now.minute, now.weekday), (14, 5, 3));
        let epoch = LocalTime::from_utc_ms(0, 0);
        assert_eq!(
            (epoch.year, epoch.month, epoch.day, epoch.weekday),
            (1970, 1, 1, 4)
        );
        let leap = LocalTime::from_utc_ms(951_782_400_000, 0); // 2000-02-29
        assert_eq!((leap.year, leap.month, leap.day), (2000, 2, 29));
    }

    #[test]
    fn the_time_zone_moves_the_clock_and_the_day() {
        let tokyo = LocalTime::from_utc_ms(NOW_MS, 9 * 60);
        assert_eq!((tokyo.day, tokyo.hour), (25, 23));
        let honolulu = LocalTime::from_utc_ms(NOW_MS - 15 * 3_600_000, -10 * 60);
        assert_eq!((honolulu.day, honolulu.hour), (24, 13));
    }

    #[test]
    fn rows_show_the_time_today_then_yesterday_then_the_weekday_then_the_date() {
        let now = at(0);
        assert_eq!(short(&at(3_600_000), &now), "1:05 PM");
        assert_eq!(short(&at(14 * 3_600_000), &now), "12:05 AM");
        assert_eq!(short(&at(20 * 3_600_000), &now), "Yesterday");
        assert_eq!(short(&at(3 * DAY_MS), &now), "Sun");
        assert_eq!(short(&at(20 * DAY_MS), &now), "Nov 5");
        assert_eq!(short(&at(400 * DAY_MS), &now), "Oct 21, 2025");
    }

    #[test]
    fn threads_always_show_the_time_of_day() {
        let now = at(0);
        assert_eq!(long(&at(2 * 3_600_000), &now), "12:05 PM");
        assert_eq!(long(&at(DAY_MS), &now), "Yesterday, 2:05 PM");
        assert_eq!(long(&at(8 * DAY_MS), &now), "Tue, Nov 17, 2:05 PM");
    }
}
