#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
@testable import GeminiEmulator
import Testing

@Suite("QuotaLedger on injected time")
struct QuotaLedgerTests {
    private func ledger(_ quotas: [String: ModelQuota], projects: [String: [String: ModelQuota]] = [:], timeScale: Double = 1) -> QuotaLedger {
        QuotaLedger(table: QuotaTable(global: quotas, perProject: projects), timeScale: timeScale)
    }

    private func rejection(_ decision: QuotaDecision) -> QuotaRejection? {
        if case .rateLimited(let rejection) = decision { return rejection }
        return nil
    }

    @Test("admits rpm requests per window, then refuses with the delay until the oldest leaves")
    func admitsRPM() {
        var ledger = ledger(["*": ModelQuota(rpm: 3)])
        for second in 0..<3 {
            #expect(ledger.admit(project: "p", model: "m", at: .seconds(second)) == .admitted(inWindow: second + 1))
        }
        let refused = rejection(ledger.admit(project: "p", model: "m", at: .seconds(3)))
        #expect(refused?.violations.map(\.kind) == [.requestsPerMinute])
        #expect(refused?.violations.first?.limit == 3)
        #expect(refused?.retryAfter == .seconds(57))
    }

    @Test("the window is half-open: the oldest request leaves exactly one window later")
    func slidingHalfOpen() {
        var ledger = ledger(["*": ModelQuota(rpm: 2)])
        _ = ledger.admit(project: "p", model: "m", at: .seconds(0))
        _ = ledger.admit(project: "p", model: "m", at: .seconds(10))
        #expect(rejection(ledger.admit(project: "p", model: "m", at: .milliseconds(59_999)))?.retryAfter == .milliseconds(1))
        #expect(ledger.admit(project: "p", model: "m", at: .seconds(60)) == .admitted(inWindow: 2))
        // Now 10 s and 60 s are inside; the next slot opens when 10 s leaves, at 70 s.
        #expect(rejection(ledger.admit(project: "p", model: "m", at: .seconds(65)))?.retryAfter == .seconds(5))
        #expect(ledger.admit(project: "p", model: "m", at: .seconds(70)) == .admitted(inWindow: 2))
    }

    @Test("refused requests are not counted as admitted")
    func refusalsLeaveNoTrace() {
        var ledger = ledger(["*": ModelQuota(rpm: 1)])
        _ = ledger.admit(project: "p", model: "m", at: .zero)
        for second in 1..<60 { #expect(rejection(ledger.admit(project: "p", model: "m", at: .seconds(second))) != nil) }
        #expect(ledger.admit(project: "p", model: "m", at: .seconds(60)) == .admitted(inWindow: 1))
        let usage = ledger.usage["p"]?["m"]
        #expect(usage?.admitted == 2)
        #expect(usage?.rateLimited == 59)
        #expect(usage?.maxInWindow == 1)
    }

    @Test("models and projects have separate windows; project overrides win")
    func separation() {
        var ledger = ledger(["*": ModelQuota(rpm: 1), "big": ModelQuota(rpm: 5)], projects: ["vip": ["*": ModelQuota(rpm: 2)]])
        #expect(ledger.admit(project: "p", model: "a", at: .zero) == .admitted(inWindow: 1))
        #expect(ledger.admit(project: "p", model: "b", at: .zero) == .admitted(inWindow: 1))
        #expect(ledger.admit(project: "q", model: "a", at: .zero) == .admitted(inWindow: 1))
        #expect(rejection(ledger.admit(project: "p", model: "a", at: .seconds(1))) != nil)
        for count in 1...5 { #expect(ledger.admit(project: "p", model: "big", at: .seconds(1)) == .admitted(inWindow: count)) }
        #expect(rejection(ledger.admit(project: "p", model: "big", at: .seconds(1))) != nil)
        #expect(ledger.admit(project: "vip", model: "a", at: .zero) == .admitted(inWindow: 1))
        #expect(ledger.admit(project: "vip", model: "big", at: .zero) == .admitted(inWindow: 1))
        #expect(ledger.admit(project: "vip", model: "big", at: .zero) == .admitted(inWindow: 2))
        #expect(rejection(ledger.admit(project: "vip", model: "big", at: .zero))?.violations.first?.limit == 2)
        #expect(ledger.projects["p"]?.maxInWindow == 7, "the project's combined window counts every model")
    }

    @Test("a model without any quota is never refused")
    func unlimited() {
        var ledger = ledger([:])
        for index in 0..<500 { #expect(ledger.admit(project: "p", model: "m", at: .milliseconds(index)) == .admitted(inWindow: index + 1)) }
        #expect(ledger.usage["p"]?["m"]?.rpm == nil)
    }

    @Test("requests per day: refused with a delay that ignores the reset; admitted again a day later")
    func requestsPerDay() {
        var ledger = ledger(["*": ModelQuota(rpd: 2)])
        _ = ledger.admit(project: "p", model: "m", at: .zero)
        _ = ledger.admit(project: "p", model: "m", at: .seconds(100))
        let refused = rejection(ledger.admit(project: "p", model: "m", at: .seconds(200)))
        #expect(refused?.violations.map(\.kind) == [.requestsPerDay])
        #expect(refused?.retryAfter == .seconds(47))
        #expect(rejection(ledger.admit(project: "p", model: "m", at: .seconds(86_399))) != nil)
        #expect(ledger.admit(project: "p", model: "m", at: .seconds(86_400)) == .admitted(inWindow: 1))
    }

    @Test("tokens per minute: refused when the window's tokens plus the request's pass the limit")
    func tokensPerMinute() {
        var ledger = ledger(["*": ModelQuota(tpm: 100)])
        #expect(ledger.admit(project: "p", model: "m", tokens: 60, at: .zero) == .admitted(inWindow: 1))
        #expect(ledger.admit(project: "p", model: "m", tokens: 30, at: .seconds(5)) == .admitted(inWindow: 2))
        let refused = rejection(ledger.admit(project: "p", model: "m", tokens: 50, at: .seconds(10)))
        #expect(refused?.violations.map(\.kind) == [.tokensPerMinute])
        #expect(refused?.retryAfter == .seconds(50), "the 60-token request must leave (at 60 s)")
        #expect(rejection(ledger.admit(project: "p", model: "m", tokens: 500, at: .seconds(10)))?.retryAfter == .seconds(60))
        #expect(ledger.admit(project: "p", model: "m", tokens: 10, at: .seconds(10)) == .admitted(inWindow: 3))
    }

    @Test("several exceeded quotas are all listed; the advertised delay is the longest")
    func severalViolations() {
        var ledger = ledger(["*": ModelQuota(rpm: 1, rpd: 1)])
        _ = ledger.admit(project: "p", model: "m", at: .zero)
        let refused = rejection(ledger.admit(project: "p", model: "m", at: .seconds(30)))
        #expect(refused?.violations.map(\.kind) == [.requestsPerMinute, .requestsPerDay])
        #expect(refused?.retryAfter == .seconds(47))
    }

    @Test("the time scale shrinks the windows")
    func timeScale() {
        var ledger = ledger(["*": ModelQuota(rpm: 1)], timeScale: 0.05)
        #expect(ledger.minute == .seconds(3))
        #expect(ledger.day == .seconds(4320))
        _ = ledger.admit(project: "p", model: "m", at: .zero)
        #expect(rejection(ledger.admit(project: "p", model: "m", at: .seconds(1)))?.retryAfter == .seconds(2))
        #expect(ledger.admit(project: "p", model: "m", at: .seconds(3)) == .admitted(inWindow: 1))
    }

    @Test("maxAdmittedInAnyWindow equals a brute-force maximum over every window", arguments: [nil, 7] as [Int?])
    func maxInWindowIsExact(rpm: Int?) {
        var ledger = ledger(["*": ModelQuota(rpm: rpm)])
        var random = SplitMix64(seed: 42)
        var now = Duration.zero
        var admitted: [Duration] = []
        for _ in 0..<2_000 {
            // Bursts and lulls: gaps from 0 to ~40 s, mostly short.
            let gap = random.nextUnit()
            now += .milliseconds(Int(gap * gap * gap * 40_000))
            if case .admitted = ledger.admit(project: "p", model: "m", at: now) { admitted.append(now) }
        }
        // Every window's count is largest when it ends at an admission, so checking those is enough.
        var best = 0
        for end in admitted {
            best = max(best, admitted.filter { $0 > end - .seconds(60) && $0 <= end }.count)
        }
        #expect(ledger.usage["p"]?["m"]?.maxInWindow == best)
        #expect(ledger.projects["p"]?.maxInWindow == best)
        if let rpm { #expect(best == rpm, "a busy run fills the window exactly to the limit, never beyond") }
    }

    @Test("retry delays are printed rounded up to the millisecond")
    func delayFormat() {
        #expect(ErrorBodies.formatDelay(.milliseconds(734)) == "0.734s")
        #expect(ErrorBodies.formatDelay(.microseconds(734_100)) == "0.735s")
        #expect(ErrorBodies.formatDelay(.seconds(54)) == "54s")
        #expect(ErrorBodies.formatDelay(.milliseconds(2500)) == "2.5s")
        #expect(ErrorBodies.formatDelay(.nanoseconds(1)) == "0.001s")
        #expect(ErrorBodies.formatDelay(.zero) == "0.001s")
    }

    @Test("a window's storage stays proportional to what is inside it")
    func windowCompaction() {
        var window = TimeWindow()
        for index in 0..<10_000 {
            window.append(.milliseconds(index))
            window.drop(atOrBefore: .milliseconds(index - 100))
        }
        #expect(window.count == 100)
        #expect(window.total == 100)
        #expect(window[0].time == .milliseconds(9_900))
    }
}
#endif
