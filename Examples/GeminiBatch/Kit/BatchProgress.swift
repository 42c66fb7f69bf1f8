import GatewayCore
import NIOConcurrencyHelpers

/// How far a run is, shared between the runner and the progress display.
public struct BatchProgress: Sendable, Hashable {
    /// Files in the input folder that will be processed.
    public var filesTotal = 0
    /// Files finished in this run.
    public var filesDone = 0
    /// Files that failed in this run.
    public var filesFailed = 0
    /// Files already done by an earlier run.
    public var filesResumed = 0
    /// Files being processed now.
    public var filesRunning: Set<String> = []
    /// Chunks answered so far (summary calls included).
    public var callsDone = 0
    /// Calls still ahead, as far as known (chunks of files not yet finished).
    public var callsPlanned = 0

    /// Nothing done yet.
    public init() {}
}

/// A lock-guarded ``BatchProgress``.
public final class ProgressBoard: Sendable {
    private let state = NIOLockedValueBox(BatchProgress())
    /// An empty board.
    public init() {}
    /// The progress now.
    public var current: BatchProgress { state.withLockedValue { $0 } }
    func update(_ change: (inout BatchProgress) -> Void) { state.withLockedValue { change(&$0) } }
}
