#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
/// A request as the engine sees it: decoupled from NIO so the engine is tested on its own.
struct EmulatorRequest: Sendable {
    var method: String
    /// The request target: path and query.
    var uri: String
    /// The `x-goog-api-key` header, if sent.
    var apiKeyHeader: String?
    var body: [UInt8]
    /// The body passed ``RequestLimits/maxBodyBytes`` and was dropped.
    var bodyTooLarge = false
    /// The `Authorization` header, if sent (the OpenAI-compatible surface reads `Bearer <key>`).
    var authorization: String? = nil
}

/// What the connection handler should do.
struct EmulatorReply: Sendable {
    /// A response with the whole body.
    struct Answer: Sendable {
        var status: Int
        var contentType: String
        var body: [UInt8]
    }

    enum Action: Sendable {
        case answer(Answer)
        /// Status 200, then `chunks` one by one, `gap` apart, each flushed; `cut` closes the
        /// connection after the chunks instead of ending the body.
        case stream(contentType: String, chunks: [[UInt8]], gap: Duration, cut: Bool)
        /// Reset the connection without answering.
        case reset
    }

    var action: Action
    /// Wait this long (real time) before doing anything.
    var delay: Duration = .zero
    /// Close the connection after answering.
    var close = false
    /// Response header fields beyond the standard ones (the OpenAI surface's rate-limit headers).
    var headers: [(String, String)] = []

    static let jsonType = "application/json; charset=UTF-8"
    static let sseType = "text/event-stream"

    static func json(_ status: Int, _ value: JSONValue, contentType: String = jsonType) -> EmulatorReply {
        EmulatorReply(action: .answer(Answer(status: status, contentType: contentType, body: value.bytes)))
    }
}
#endif
