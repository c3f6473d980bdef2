import Foundation

extension TimeZone {
    /// An instant as people in this time zone read it, to the minute, with the zone's name:
    /// `2026-11-21 08:00 (Europe/Zurich)`. For wake times and planned attempts in listings.
    public func wallClockText(_ instant: Date) -> String {
        let local = localDateTime(instant)
        return local.date.description + " " + pad(local.hour, 2) + ":" + pad(local.minute, 2) + " (\(identifier))"
    }
}
