#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers

/// stdout and stderr for a run that must not die of its own output: writes go straight to the
/// file descriptor, and a stream that is closed, full (`2>/dev/full`) or a broken pipe is given
/// up after its first failed write instead of trapping, so the run still ends with its exit
/// status and its `--summary-json`.
public enum Console {
    /// One of the two output streams.
    public enum Stream: Int32, Sendable {
        /// File descriptor 1.
        case standardOutput = 1
        /// File descriptor 2.
        case standardError = 2
    }

    #if canImport(Glibc)
    private static let systemWrite = Glibc.write
    #else
    private static let systemWrite = Darwin.write
    #endif

    private static let broken = NIOLockedValueBox<Set<Int32>>([])

    /// Call first thing: a write to a closed pipe returns EPIPE instead of killing the process,
    /// and a closed stdin, stdout or stderr is reopened on /dev/null, so that no file the run
    /// opens later (a result, the lock) takes descriptor 1 or 2 and receives log lines.
    public static func prepareStandardStreams() {
        signal(SIGPIPE, SIG_IGN)
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let reopened = open("/dev/null", O_RDWR)
            if reopened >= 0 && reopened != descriptor {
                dup2(reopened, descriptor)
                close(reopened)
            }
        }
    }

    /// Writes `text` whole to `stream`, or gives the stream up on the first error (EPIPE,
    /// ENOSPC, EBADF, EIO): nothing more is written to it. Returns whether it was written.
    @discardableResult
    public static func write(_ text: String, to stream: Stream) -> Bool {
        let descriptor = stream.rawValue
        if broken.withLockedValue({ $0.contains(descriptor) }) { return false }
        // No lock is held while writing (a write can block on a slow terminal); one write(2)
        // per line keeps lines from concurrent tasks whole on pipes and terminals.
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                broken.withLockedValue { _ = $0.insert(descriptor) }
                return false
            }
            bytes = bytes.dropFirst(written)
        }
        return true
    }

    /// Writes `line` and a newline to stderr.
    public static func error(_ line: String) { write(line + "\n", to: .standardError) }

    /// Writes `text` and a newline to stdout.
    public static func output(_ text: String) { write(text + "\n", to: .standardOutput) }
}
