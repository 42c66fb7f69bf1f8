import Foundation
import GatewayCore
import HTTPTypes

/// Decodes a streamed chat completion (`text/event-stream` of `data: {chunk}` events ending in
/// `data: [DONE]`) into ``ChatCompletionChunk``s.
///
/// Failures it reports: an event whose JSON carries an `error` (classified like an error
/// answer), an event that is not JSON, a `content_filter` finish, a body cut mid-event, a body
/// that ends with neither `[DONE]` nor a finish reason, and events past the size limit.
/// Comment lines (keep-alives) and blank `data:` lines are skipped.
public struct OpenAIEventDecoder: StreamEventDecoder {
    /// One chunk.
    public typealias Event = ChatCompletionChunk

    private var parser: ServerSentEventParser
    private let errors: OpenAIErrorClassifier
    private var done = false
    private var finished = false
    private var failed = false
    /// Set when the last failure was an event that is not JSON.
    private var unreadable = false

    init(errors: OpenAIErrorClassifier, maxEventBytes: Int = 8 << 20) {
        self.errors = errors
        self.parser = ServerSentEventParser(maxEventBytes: maxEventBytes)
    }

    /// Parses the next bytes of the body into the chunks they complete, or the failure one
    /// carries; returns nothing after `[DONE]` or a failure.
    public mutating func feed(_ bytes: [UInt8]) -> StreamDecoding<ChatCompletionChunk> {
        guard !failed, !done else { return StreamDecoding() }
        let output = parser.feed(bytes)
        var decoding = decode(output.payloads)
        if decoding.failure == nil, output.overflow {
            decoding.failure = Failure(.serverError(status: 200), status: 200, message: "stream event larger than \(parser.maxEventBytes) bytes")
        }
        failed = decoding.failure != nil
        return decoding
    }

    /// Ends the body: the last chunks, or a failure when it was cut mid-event or ended with
    /// neither `[DONE]` nor a finish reason.
    public mutating func finish() -> StreamDecoding<ChatCompletionChunk> {
        guard !failed, !done else { return StreamDecoding() }
        let cutMidEvent = parser.hasPartialEvent
        var decoding = decode(parser.finish().payloads)
        failed = true
        if cutMidEvent, unreadable {
            // A last event that does not read, with no blank line after it, was cut off.
            decoding.failure = Failure(.connectionFailure, status: 200, message: "stream cut in the middle of an event")
        } else if decoding.failure == nil, !done {
            if cutMidEvent {
                decoding.failure = Failure(.connectionFailure, status: 200, message: "stream cut in the middle of an event")
            } else if !finished {
                decoding.failure = Failure(.connectionFailure, status: 200, message: "stream ended without [DONE] or a finish reason")
            }
        }
        return decoding
    }

    private mutating func decode(_ payloads: [[UInt8]]) -> StreamDecoding<ChatCompletionChunk> {
        var decoding = StreamDecoding<ChatCompletionChunk>()
        for payload in payloads where !done {
            let trimmed = String(decoding: payload, as: UTF8.self).trimmingWhitespace()
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("[DONE]") {
                done = true
                break
            }
            if let failure = errorEvent(payload) {
                decoding.failure = failure
                return decoding
            }
            guard let chunk = try? JSONDecoder().decode(ChatCompletionChunk.self, from: Data(payload)) else {
                unreadable = true
                decoding.failure = Failure(.serverError(status: 200), status: 200,
                    message: "unreadable stream event: \(OpenAIErrorClassifier.snippet(of: Array(payload.prefix(80))))")
                return decoding
            }
            decoding.events.append(chunk)
            if let reason = chunk.finishReason {
                finished = true
                if reason == "content_filter" {
                    decoding.failure = Failure(.blocked(reason: "content_filter"), status: 200, message: "the answer was cut by the content filter")
                    return decoding
                }
            }
        }
        return decoding
    }

    /// An event carrying an `error`, classified by the status its code names (else as a 500).
    private func errorEvent(_ payload: [UInt8]) -> Failure? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any], let error = object["error"],
            !(error is NSNull)
        else { return nil }
        var status = 500
        if let fields = error as? [String: Any], let code = fields["code"] as? Int, (400...599).contains(code) { status = code }
        return errors.classify(status: status, headers: [:], body: payload)
    }
}
