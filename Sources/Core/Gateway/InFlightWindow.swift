/// How many calls of one task to keep in flight at once so that pacing, not latency, binds:
/// about the server's latency over the quota group's spacing between requests. When requests
/// may go every 0.2 s and an answer takes 2 s, ten calls in flight keep the key busy; when
/// they may go every 4 s (a free tier) and an answer takes 2 s, one does.
///
/// The latency is the server's (the last attempt of each call, from admission to answer),
/// smoothed, so a call that waited in the limiter does not widen the window.
package struct InFlightWindow: Sendable {
    /// The most calls in flight, whatever the rate and latency say.
    package let cap: Int
    /// The smoothed latency, once a call has answered.
    package private(set) var latency: Duration?

    /// A window of at most `cap`, starting from a `latency` seen before (if any).
    package init(cap: Int, latency: Duration? = nil) {
        self.cap = max(cap, 1)
        self.latency = latency
    }

    /// Folds in one call's latency (weight ¼ for the new one, so the window follows a change
    /// within a few calls without jumping at one outlier).
    package mutating func observe(_ sample: Duration) {
        guard sample >= .zero else { return }
        latency = latency.map { ($0 * 3 + sample) / 4 } ?? sample
    }

    /// The window for a group paced every `interval` (`nil`: not paced, or unknown).
    package func size(interval: Duration?) -> Int {
        guard let latency else { return 1 }
        guard let interval, interval > .zero else { return cap }
        let ratio = latency.secondsDouble / interval.secondsDouble
        guard ratio.isFinite else { return cap }
        return min(cap, max(1, Int(ratio.rounded(.up))))
    }
}
