import Foundation
import GatewayCore
import GeminiProvider
import NIOConcurrencyHelpers

/// The live view on a terminal: files done, calls per second, ETA, and each key's state,
/// redrawn in place on stderr. Off a terminal, the runner's plain log lines are used instead.
/// Every line is cut to the terminal's width and the frame kept shorter than the terminal
/// (both re-read on SIGWINCH), so a redraw never leaves fragments or repeats in the scrollback.
public final class ProgressDisplay: Sendable {
    private let board: ProgressBoard
    private let snapshot: @Sendable () -> PoolSnapshot
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let linesDrawn = NIOLockedValueBox(0)
    private let terminal = TerminalSize()

    /// A view of `board` and `gateway`'s keys.
    public init<P: Provider>(board: ProgressBoard, gateway: Gateway<P>) {
        self.board = board
        self.snapshot = { gateway.snapshot() }
    }

    /// Whether stderr is a terminal.
    public static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Starts redrawing every `interval`.
    public func start(every interval: Duration = .milliseconds(500)) {
        let started = ContinuousClock.now
        let loop = Task { [self] in
            while !Task.isCancelled {
                draw(elapsed: started.duration(to: .now).inSeconds)
                try? await Task.sleep(for: interval)
            }
        }
        task.withLockedValue { $0 = loop }
    }

    /// Stops and draws the final state once more.
    public func stop(elapsed: Double) {
        task.withLockedValue { $0?.cancel() }
        draw(elapsed: elapsed)
    }

    private func draw(elapsed: Double) {
        let size = terminal.current
        let resized = terminal.takeChanged()
        let text = Self.render(board.current, snapshot: snapshot(), elapsed: elapsed, size: size)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var out = ""
        let previous = linesDrawn.withLockedValue { drawn -> Int in
            defer { drawn = lines.count }
            return drawn
        }
        // Back to the top of the last frame; after a resize the old frame may have reflowed,
        // so everything below is cleared rather than overwritten line by line.
        if previous > 0 { out += "\u{1B}[\(previous)A\r" + (resized ? "\u{1B}[J" : "") }
        for line in lines { out += "\u{1B}[2K" + line + "\n" }
        Console.write(out, to: .standardError)
    }

    /// One frame, as text (pure; tested): at most `size.rows - 1` lines (keys that do not fit
    /// are counted on the last line), each at most `size.columns - 1` columns, names and
    /// reasons with their control characters escaped.
    public static func render(
        _ progress: BatchProgress, snapshot: PoolSnapshot, elapsed: Double, size: TerminalSize.Size = .init(columns: 80, rows: 24)
    ) -> String {
        let finished = progress.filesDone + progress.filesFailed + progress.filesResumed
        let rate = elapsed > 0 ? Double(progress.callsDone) / elapsed : 0
        let remaining = max(progress.callsPlanned - progress.callsDone, 0)
        let eta = rate > 0 ? String(format: "%.0fs", Double(remaining) / rate) : "—"
        var lines = [String(format: "files %d/%d (%d failed)  calls %d  %.1f/s  ETA %@  elapsed %.0fs",
            finished, progress.filesTotal, progress.filesFailed, progress.callsDone, rate, eta, elapsed)]
        for key in snapshot.keys {
            let state: String = switch key.health {
            case .active: key.leases > 0 ? "active, \(key.leases) task(s)" : "idle"
            case .cooling(let until, let reason):
                "cooling \(String(format: "%.1f", snapshot.at.duration(to: until).inSeconds))s: \(Printable.escaped(reason))"
            case .disabled(let reason): "disabled: \(Printable.escaped(String(reason.prefix(60))))"
            }
            lines.append("  \(Printable.escaped(key.label)) \(key.masked) [\(Printable.escaped("\(key.quotaGroup)"))] \(state); ok \(key.successes), 429 \(key.rateLimited)")
        }
        let maxLines = max(size.rows - 1, 1)
        if lines.count > maxLines {
            let hidden = lines.count - maxLines + 1
            lines = Array(lines.prefix(maxLines - 1)) + ["  … and \(hidden) more key(s)"]
        }
        let width = max(size.columns - 1, 1)   // the last column would make some terminals wrap
        return lines.map { TerminalText.fit($0, width: width) }.joined(separator: "\n")
    }
}
