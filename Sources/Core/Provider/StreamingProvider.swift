/// A provider whose answers can also arrive as a stream of events (Gemini's server-sent events).
///
/// The gateway retries and rotates a streamed call only until its first event: once an event
/// has reached the caller, nothing is replayed, and a break ends the stream with a
/// ``StreamInterruptedError``.
public protocol StreamingProvider: Provider {
    /// One decoded event of a stream (for Gemini, a chunk of `GenerateContentResponse`).
    associatedtype Event: Sendable
    /// Turns body bytes into events; a fresh one per attempt.
    associatedtype EventDecoder: StreamEventDecoder where EventDecoder.Event == Event

    /// Builds the HTTP request of a streamed call, authenticated with `key`.
    /// - Throws: when `request` cannot be encoded or cannot be streamed; the call then ends without retry.
    func makeStreamingRequest(_ request: Request, key: APIKey) throws -> TransportRequest

    /// A decoder for one streamed body of `request`.
    func makeEventDecoder(for request: Request) -> EventDecoder
}

/// What a decoder made of some bytes: the events they completed, and the failure the stream
/// reported, if it did (an error event, an unreadable event, a body cut mid-event).
public struct StreamDecoding<Event: Sendable>: Sendable {
    /// Events completed by the bytes, in order; they come before ``failure``.
    public var events: [Event]
    /// Set when the stream reported or showed a failure; nothing after it is decoded.
    public var failure: Failure?

    /// What some bytes decoded to.
    public init(events: [Event] = [], failure: Failure? = nil) {
        self.events = events
        self.failure = failure
    }
}

/// Decodes a streamed body incrementally. Pure: bytes in, events out, no I/O.
public protocol StreamEventDecoder<Event>: Sendable {
    /// What the decoder produces.
    associatedtype Event: Sendable

    /// Feeds the next bytes of the body (any split: mid-line, mid-character).
    mutating func feed(_ bytes: [UInt8]) -> StreamDecoding<Event>

    /// The body has ended: the last events, or the failure that an incomplete or erroneous
    /// tail represents.
    mutating func finish() -> StreamDecoding<Event>
}
