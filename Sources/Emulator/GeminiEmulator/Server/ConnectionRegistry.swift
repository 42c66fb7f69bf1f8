#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import NIOConcurrencyHelpers
import NIOCore

/// The live connections, so shutdown can close them; connections opened after shutdown began
/// are closed at once.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var closed = false
    }

    private let state = NIOLockedValueBox(State())

    /// Tracks `channel` until it closes.
    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let accepted = state.withLockedValue { state -> Bool in
            guard !state.closed else { return false }
            state.channels[id] = channel
            return true
        }
        guard accepted else {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.state.withLockedValue { _ = $0.channels.removeValue(forKey: id) }
        }
    }

    /// Refuses new connections and returns the live ones.
    func closeAll() -> [any Channel] {
        state.withLockedValue { state in
            state.closed = true
            return Array(state.channels.values)
        }
    }

    var count: Int { state.withLockedValue { $0.channels.count } }
}
#endif
