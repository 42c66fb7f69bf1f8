/// How many calls of one task to keep in flight at once so that pacing, not latency, binds:
/// about the server's latency over the quota group's spacing between requests. When requests
/// may go every 0.2 s and an answer takes 2 s, ten calls in flight keep the key busy; when
/// they may go every 4 s (a free tier) and an answer takes 2 s, one does.
///
/// The latency is the server's (the last attempt of each call, from admission to answer),
/// smoothed, so a call that waited in the limiter does not widen the window. The window is
/// sized for a slow answer — the smoothed latency plus four times its smoothed deviation, as
/// TCP sizes its retransmission timer — because answers vary: sized for the average, every
/// slower answer leaves a slot of the pace unused (with answers taking 1.5–2.5 s, a window of
/// the average alone reached 92 % of a paid key's rate).
package struct InFlightWindow: Sendable {
    /// The most calls in flight, whatever the rate and latency say.
    package let cap: Int
    /// The smoothed latency, once a call has answered.
    package private(set) var latency: Duration?
    /// The smoothed mean deviation of the latency from `latency`.
    package private(set) var deviation: Duration = .zero

    /// A window of at most `cap`, starting from what an earlier window measured (if any).
    package init(cap: Int, measured earlier: InFlightWindow? = nil) {
        self.cap = max(cap, 1)
        self.latency = earlier?.latency
        self.deviation = earlier?.deviation ?? .zero
    }

    /// Folds in one call's latency (weight ¼ for the new one, so the window follows a change
    /// within a few calls without jumping at one outlier).
    package mutating func observe(_ sample: Duration) {
        guard sample >= .zero else { return }
        guard let latency else {
            latency = sample
            return
        }
        let distance = sample > latency ? sample - latency : latency - sample
        deviation = (deviation * 3 + distance) / 4
        self.latency = (latency * 3 + sample) / 4
    }

    /// How long a slow answer takes: the smoothed latency plus four deviations.
    package var slowAnswer: Duration? { latency.map { $0 + deviation * 4 } }

    /// The window for a group paced every `interval` (`nil`: not paced, or unknown).
    package func size(interval: Duration?) -> Int {
        guard let slowAnswer else { return 1 }
        guard let interval, interval > .zero else { return cap }
        let ratio = slowAnswer.secondsDouble / interval.secondsDouble
        guard ratio.isFinite else { return cap }
        return min(cap, max(1, Int(ratio.rounded(.up))))
    }
}
