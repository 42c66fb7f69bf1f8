import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The local server every client is measured against: `/bytes/{n}` and `/delay/{ms}`, plus
/// `/stats` (delayed requests in progress now and at most since the last `/stats/reset`), so the
/// in-flight test can check how many requests really were in flight at once.
enum BenchServer {
    /// (in progress now, peak since the last reset)
    static let delayed = Mutex((now: 0, peak: 0))

    static func run() async throws {
        let router = Router()
        router.get("bytes/:count") { _, context -> ByteBuffer in
            let count = context.parameters.get("count", as: Int.self) ?? 0
            return ByteBuffer(repeating: UInt8(ascii: "a"), count: count)
        }
        router.get("delay/:ms") { _, context -> String in
            let ms = context.parameters.get("ms", as: Int.self) ?? 0
            delayed.withLock { state in
                state.now += 1
                state.peak = max(state.peak, state.now)
            }
            defer { delayed.withLock { $0.now -= 1 } }
            try await Task.sleep(for: .milliseconds(ms))
            return "ok"
        }
        router.get("stats") { _, _ -> String in
            let state = delayed.withLock { $0 }
            return "\(state.now) \(state.peak)"
        }
        router.get("stats/reset") { _, _ -> String in
            delayed.withLock { $0.peak = $0.now }
            return "ok"
        }
        var logger = Logger(label: "bench-server")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), backlog: 4096),
            onServerRunning: { channel in
                FileHandle.standardOutput.write(Data("PORT \(channel.localAddress?.port ?? 0)\n".utf8))
            },
            logger: logger)
        try await app.runService()
    }
}
