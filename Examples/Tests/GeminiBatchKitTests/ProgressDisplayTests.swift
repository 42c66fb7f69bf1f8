import GatewayCore
import GeminiBatchKit
import Testing

@Suite("The live view fits the terminal")
struct ProgressDisplayTests {
    static func snapshot(keys: Int, reason: String = "invalid key") -> PoolSnapshot {
        let at = GatewayClock.Instant(offset: .seconds(100))
        return PoolSnapshot(at: at, keys: (1...keys).map { index in
            KeySnapshot(
                id: KeyID(index), label: "#\(index)", masked: "…\(1000 + index)", quotaGroup: QuotaGroup("project-\(index)"),
                health: index % 2 == 0 ? .disabled(reason: reason) : .cooling(until: at.advanced(by: .seconds(3)), reason: "429 \(reason)"),
                leases: 1, attempts: 10, successes: 9, failures: 1, rateLimited: 2, lastFailure: nil)
        })
    }

    static var progress: BatchProgress {
        var progress = BatchProgress()
        (progress.filesTotal, progress.filesDone, progress.filesFailed, progress.filesResumed) = (120, 50, 3, 7)
        (progress.callsDone, progress.callsPlanned) = (4_000, 9_000)
        return progress
    }

    @Test("at 40 columns every line is cut to 39 columns, so a redraw never wraps", arguments: [20, 40, 80])
    func width(columns: Int) {
        let frame = ProgressDisplay.render(Self.progress, snapshot: Self.snapshot(keys: 4, reason: String(repeating: "long reason ", count: 10)),
            elapsed: 12, size: .init(columns: columns, rows: 50))
        let lines = frame.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { TerminalText.columns($0) <= columns - 1 })
        #expect(lines.contains { $0.hasSuffix("…") })
    }

    @Test("a frame never reaches the terminal's height: the keys that do not fit are counted")
    func height() {
        let frame = ProgressDisplay.render(Self.progress, snapshot: Self.snapshot(keys: 40), elapsed: 12, size: .init(columns: 120, rows: 10))
        let lines = frame.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 9)
        #expect(lines.last?.contains("and 33 more key(s)") == true)   // the header and 7 keys shown, the 9th line counts the other 33
    }

    @Test("control characters in a reason reach the frame escaped")
    func escaped() {
        let frame = ProgressDisplay.render(Self.progress, snapshot: Self.snapshot(keys: 2, reason: "bad\u{1B}[2Jthing\nnext"),
            elapsed: 1, size: .init(columns: 200, rows: 50))
        #expect(!frame.contains("\u{1B}"))
        #expect(frame.split(separator: "\n").count == 3)
    }

    @Test("wide characters count two columns; combining marks none")
    func columns() {
        #expect(TerminalText.columns("abc") == 3)
        #expect(TerminalText.columns("日本") == 4)
        #expect(TerminalText.columns("e\u{301}") == 1)
        #expect(TerminalText.columns(TerminalText.fit("日本語のファイル名.txt", width: 9)) <= 9)
    }
}
