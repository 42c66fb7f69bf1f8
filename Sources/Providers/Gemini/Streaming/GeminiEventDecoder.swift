import GatewayCore

/// Decodes a `streamGenerateContent?alt=sse` body into ``GenerateContentResponse`` chunks.
///
/// Failures it reports: an event carrying an `error` envelope (classified like an error answer),
/// a blocked prompt (an event with only `promptFeedback.blockReason`), an event that is not
/// JSON, a body cut in the middle of an event, a bare JSON error after the events (Google's own
/// fixture shows that form), and events past the size limit.
public struct GeminiEventDecoder: StreamEventDecoder {
    /// Each event is one chunk of the answer.
    public typealias Event = GenerateContentResponse

    private var parser: ServerSentEventParser
    private let errors: ErrorClassifier
    private var failed = false
    /// Set when the last failure was an event that is not JSON at all.
    private var unreadable = false

    init(errors: ErrorClassifier, maxEventBytes: Int = 8 << 20) {
        self.errors = errors
        self.parser = ServerSentEventParser(maxEventBytes: maxEventBytes)
    }

    /// Parses the next bytes of the body into the chunks they complete, or the failure one
    /// carries; returns nothing once a failure was reported.
    public mutating func feed(_ bytes: [UInt8]) -> StreamDecoding<GenerateContentResponse> {
        guard !failed else { return StreamDecoding() }
        let output = parser.feed(bytes)
        var decoding = decode(output.payloads)
        if decoding.failure == nil, output.overflow {
            decoding.failure = Failure(.serverError(status: 200), status: 200,
                message: "stream event larger than \(parser.maxEventBytes) bytes")
        }
        failed = decoding.failure != nil
        return decoding
    }

    /// Ends the body: the last chunks, or the failure of a tail cut mid-event or of a bare JSON
    /// error; returns nothing once a failure was reported.
    public mutating func finish() -> StreamDecoding<GenerateContentResponse> {
        guard !failed else { return StreamDecoding() }
        failed = true
        let cutMidEvent = parser.hasPartialEvent
        let output = parser.finish()
        var decoding = decode(output.payloads)
        if decoding.failure != nil {
            // A last event that does not read, with no blank line after it, was cut off.
            if cutMidEvent, unreadable { decoding.failure = Self.cut }
            return decoding
        }
        if !parser.bare.isEmpty {
            if let envelope = ErrorEnvelope.read(from: parser.bare) {
                decoding.failure = classify(envelope, body: parser.bare)
            } else {
                decoding.failure = cutMidEvent ? Self.cut : Failure(.serverError(status: 200), status: 200,
                    message: "unreadable text in the stream: \(BodySnippet.ofBody(parser.bare, limit: 80))")
            }
        }
        return decoding
    }

    private static let cut = Failure(.connectionFailure, status: 200, message: "stream cut in the middle of an event")

    private mutating func decode(_ payloads: [[UInt8]]) -> StreamDecoding<GenerateContentResponse> {
        var decoding = StreamDecoding<GenerateContentResponse>()
        for payload in payloads {
            switch event(from: payload) {
            case .success(let event?): decoding.events.append(event)
            case .success(nil): continue
            case .failure(let failure):
                decoding.failure = failure
                return decoding
            }
        }
        return decoding
    }

    /// One event's JSON: a chunk, nothing (an empty keep-alive payload), or a failure.
    private mutating func event(from payload: [UInt8]) -> Result<GenerateContentResponse?, Failure> {
        if payload.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return .success(nil) }
        if let envelope = ErrorEnvelope.read(from: payload) {
            return .failure(classify(envelope, body: payload))
        }
        switch WireJSON.decode(GenerateContentResponse.self, from: payload) {
        case .failure:
            unreadable = true
            return .failure(Failure(.serverError(status: 200), status: 200,
                message: "unreadable stream event: \(BodySnippet.ofBody(payload, limit: 80))"))
        case .success(let chunk):
            if (chunk.candidates ?? []).isEmpty, let reason = chunk.promptFeedback?.blockReason {
                return .failure(Failure(.blocked(reason: reason.rawValue), status: 200, message: "prompt blocked (\(reason.rawValue))"))
            }
            return .success(chunk)
        }
    }

    private func classify(_ envelope: ErrorEnvelope, body: [UInt8]) -> Failure {
        let code = envelope.code.flatMap { (400...599).contains($0) ? $0 : nil } ?? 500
        return errors.classify(status: code, body: body)
    }
}
