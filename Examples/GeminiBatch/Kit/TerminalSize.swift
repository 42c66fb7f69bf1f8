@preconcurrency import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// The size of the terminal on stderr, read again whenever SIGWINCH says it changed.
public final class TerminalSize: Sendable {
    /// Columns and rows; 80 × 24 when the size cannot be read.
    public struct Size: Sendable, Hashable {
        /// Characters per line.
        public var columns: Int
        /// Lines on the screen.
        public var rows: Int
        /// A size of `columns` × `rows`.
        public init(columns: Int, rows: Int) {
            self.columns = columns
            self.rows = rows
        }
    }

    private let size: NIOLockedValueBox<Size>
    private let changed = NIOLockedValueBox(false)
    /// The SIGWINCH source. Dispatch sources are thread-safe but not marked Sendable; this one
    /// is set once in `init` and only cancelled in `deinit`.
    nonisolated(unsafe) private let source: any DispatchSourceSignal

    /// Reads the size now and follows SIGWINCH from then on.
    public init() {
        size = NIOLockedValueBox(Self.read())
        signal(SIGWINCH, SIG_IGN)
        let winch = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
        winch.setEventHandler { [size, changed] in
            let now = Self.read()
            size.withLockedValue { $0 = now }
            changed.withLockedValue { $0 = true }
        }
        winch.resume()
        source = winch
    }

    deinit { source.cancel() }

    /// The size as last read.
    public var current: Size { size.withLockedValue { $0 } }

    /// Whether the size changed since the last call (and clears the mark).
    public func takeChanged() -> Bool { changed.withLockedValue { value in defer { value = false }; return value } }

    /// The terminal's size from `TIOCGWINSZ` on stderr.
    public static func read() -> Size {
        var window = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else {
            return Size(columns: 80, rows: 24)
        }
        return Size(columns: Int(window.ws_col), rows: Int(window.ws_row))
    }
}

