@preconcurrency import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// SIGINT and SIGTERM for a run: the first asks the run to stop (``RunStop``) so it finishes
/// writing what has arrived and its summary; a second one ends the process at once with
/// 128 + the signal, for whoever does not want to wait.
public enum SignalTrap {
    /// The installed sources, kept alive for the life of the process. Dispatch sources are not
    /// Sendable; this array is only appended to, under `sourcesLock`, and never read.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let sourcesLock = NIOLock()
    private static let received = NIOLockedValueBox(0)

    /// Routes SIGINT and SIGTERM to `stop`; `notice` is told once, on the first signal.
    public static func install(_ stop: RunStop, notice: @escaping @Sendable (String) -> Void) {
        let installed = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)   // the dispatch source sees it; the default handler would kill
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let count = received.withLockedValue { count -> Int in
                    count += 1
                    return count
                }
                if count > 1 { _exit(128 + number) }
                notice("\(RunStop.signalName(number)): finishing what has arrived and writing the summary (again to quit at once)")
                stop.request(.signal(number))
            }
            source.resume()
            return source
        }
        sourcesLock.withLock { sources += installed }
    }
}
