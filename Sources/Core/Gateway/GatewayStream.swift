/// The events of a streamed call, from the first one on. Single pass: iterate it once.
///
/// Ends normally when the body ends cleanly; throws ``StreamInterruptedError`` when it breaks
/// after the first event, and `CancellationError` when the consuming task is cancelled.
public struct GatewayStream<Event: Sendable>: AsyncSequence, Sendable {
    /// One decoded event.
    public typealias Element = Event

    private let start: Start

    struct Start: Sendable {
        var buffered: [Event]
        var pendingFailure: Failure?
        var ended: Bool
        var body: ByteChunks.AsyncIterator
        var decoder: any StreamEventDecoder<Event>
        var context: Context
    }

    /// Who the stream belongs to, for its errors.
    struct Context: Sendable {
        var task: TaskID
        var keyLabel: String
        var redact: @Sendable (Failure) -> Failure
    }

    init(_ start: Start) { self.start = start }

    /// How many events the gateway had read before handing the stream over (at least one).
    public var eventsReadAhead: Int { start.buffered.count }

    /// Yields the events in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var state: Start
        var delivered = 0

        /// The next event; `nil` at the clean end of the stream.
        public mutating func next() async throws -> Event? {
            while true {
                if !state.buffered.isEmpty {
                    delivered += 1
                    return state.buffered.removeFirst()
                }
                if let failure = state.pendingFailure {
                    state.pendingFailure = nil
                    state.ended = true
                    throw StreamInterruptedError(
                        failure: state.context.redact(failure), task: state.context.task,
                        keyLabel: state.context.keyLabel, eventsDelivered: delivered)
                }
                if state.ended { return nil }
                let chunk: [UInt8]?
                do {
                    chunk = try await state.body.next()
                } catch {
                    state.ended = true
                    let failure = try classifyTransportError(error)
                    throw StreamInterruptedError(
                        failure: failure, task: state.context.task, keyLabel: state.context.keyLabel,
                        eventsDelivered: delivered)
                }
                let decoded: StreamDecoding<Event>
                if let chunk {
                    decoded = state.decoder.feed(chunk)
                } else {
                    decoded = state.decoder.finish()
                    state.ended = true
                }
                state.buffered.append(contentsOf: decoded.events)
                state.pendingFailure = decoded.failure
            }
        }
    }

    /// The stream's one iterator.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(state: start) }
}
