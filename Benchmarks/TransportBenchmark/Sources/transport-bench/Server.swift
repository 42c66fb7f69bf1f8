import Hummingbird
import NIOCore

/// The local server every client is measured against: `/bytes/{n}` and `/delay/{ms}`.
enum BenchServer {
    static func run() async throws {
        let router = Router()
        router.get("bytes/:count") { _, context -> ByteBuffer in
            let count = context.parameters.get("count", as: Int.self) ?? 0
            return ByteBuffer(repeating: UInt8(ascii: "a"), count: count)
        }
        router.get("delay/:ms") { _, context -> String in
            let ms = context.parameters.get("ms", as: Int.self) ?? 0
            try await Task.sleep(for: .milliseconds(ms))
            return "ok"
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), backlog: 4096),
            onServerRunning: { channel in
                print("PORT \(channel.localAddress?.port ?? 0)")
                fflushStdout()
            })
        try await app.runService()
    }
}
