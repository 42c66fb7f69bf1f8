import HTTPTypes

extension CallLoop where P: StreamingProvider {
    /// Runs a streamed call: attempts are retried and rotated like unary ones until an event
    /// arrives; from then on the stream belongs to the caller.
    mutating func runStreaming(_ request: P.Request) async throws -> GatewayStream<P.Event> {
        try await run(cost: gateway.provider.cost(of: request)) { loop, key in
            try await loop.openStream(request, key: key)
        } settle: { _ in
            nil  // the usage arrives with the last event, after the call has returned
        }
    }

    /// One streamed attempt, up to its first event. A non-2xx answer is read whole and
    /// classified like a unary one; a stream that breaks before any event is a failed attempt.
    private func openStream(_ request: P.Request, key: APIKey) async throws -> Result<GatewayStream<P.Event>, Failure> {
        let provider = gateway.provider
        let http = try transportRequest { try provider.makeStreamingRequest(request, key: key) }
        let response: StreamingTransportResponse
        do {
            response = try await gateway.transport.stream(http)
        } catch {
            return .failure(try classifyTransportError(error))
        }
        observeLimits(in: response.head, key: key)
        let status = response.head.status.code
        guard (200...299).contains(status) else {
            do {
                let whole = try await response.collected(maxBodyBytes: Self.maxErrorBodyBytes)
                if case .failure(let failure) = provider.parse(whole, for: request) { return .failure(failure) }
                return .failure(Failure(.serverError(status: status), status: status, message: "HTTP \(status) on a stream"))
            } catch {
                return .failure(try classifyTransportError(error))
            }
        }

        var decoder = provider.makeEventDecoder(for: request)
        let body = response.body.makeAsyncIterator()
        var events: [P.Event] = []
        var failure: Failure?
        var ended = false
        do {
            while events.isEmpty, failure == nil, !ended {
                let decoded: StreamDecoding<P.Event>
                if let chunk = try await body.next() {
                    decoded = decoder.feed(chunk)
                } else {
                    decoded = decoder.finish()
                    ended = true
                }
                events = decoded.events
                failure = decoded.failure
            }
        } catch {
            return .failure(try classifyTransportError(error))
        }
        if events.isEmpty {
            return .failure(failure ?? Failure(.serverError(status: status), status: status, message: "stream ended before its first event"))
        }
        let context = GatewayStream<P.Event>.Context(
            task: task, keyLabel: key.label, redact: { $0.redacting(key) })
        return .success(GatewayStream(.init(
            buffered: events, pendingFailure: failure, ended: ended, body: body, decoder: decoder, context: context)))
    }

    /// An error answer on a stream is an ordinary JSON body; more than this is not one.
    static var maxErrorBodyBytes: Int { 1 << 20 }
}
