#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
/// How the engine shapes answers: normal, faulted and streamed.
extension EmulatorEngine {
    /// The reply for a fault that replaces the answer, or nil when there is none (or it only delays).
    func faulted(_ fault: Fault?, normal: EmulatorReply, errorType: String) -> EmulatorReply? {
        switch fault {
        case nil: return nil
        case .internalError: return .json(500, ErrorBodies.internalError, contentType: errorType)
        case .unavailable: return .json(503, ErrorBodies.unavailable, contentType: errorType)
        case .deadlineExceeded: return .json(504, ErrorBodies.deadlineExceeded, contentType: errorType)
        case .connectionReset: return EmulatorReply(action: .reset)
        case .htmlBadGateway:
            return EmulatorReply(action: .answer(.init(status: 502, contentType: "text/html; charset=UTF-8", body: Array(ErrorBodies.badGatewayHTML.utf8))))
        case .malformedBody:
            guard case .answer(var answer) = normal.action else { return normal }
            answer.body = Array(answer.body.prefix(max(1, answer.body.count / 2)))
            return EmulatorReply(action: .answer(answer))
        case .slow:
            var reply = normal
            reply.delay += .milliseconds(configuration.faults.slowMilliseconds)
            return reply
        case .blockedPrompt, .safety, .maxTokens, .streamCut, .streamError:
            return nil  // shaped by the caller
        }
    }

    func unaryReply(_ answer: Answer, fault: Fault?) -> EmulatorReply {
        let normal = EmulatorReply.json(200, answer.unaryJSON)
        switch fault {
        case .blockedPrompt: return .json(200, answer.blockedJSON)
        case .safety: return .json(200, answer.safetyJSON)
        case .maxTokens: return .json(200, answer.maxTokensJSON)
        default: return faulted(fault, normal: normal, errorType: EmulatorReply.jsonType) ?? normal
        }
    }

    func streamReply(_ answer: Answer, fault: Fault?, sse: Bool, errorType: String) -> EmulatorReply {
        var events = answer.streamJSON.map { $0.bytes }
        var cut = false
        switch fault {
        case .blockedPrompt: events = [answer.blockedJSON.bytes]
        case .safety: events = [answer.safetyJSON.bytes]
        case .maxTokens: events = [answer.maxTokensJSON.bytes]
        case .malformedBody: events = [Array(events[0].prefix(max(1, events[0].count / 2)))]
        case .streamCut:
            events = [events[0]]
            cut = true
        case .streamError: events = [events[0], ErrorBodies.streamInternalError.bytes]
        case .slow:
            var reply = streamReply(answer, fault: nil, sse: sse, errorType: errorType)
            reply.delay += .milliseconds(configuration.faults.slowMilliseconds)
            return reply
        case .internalError, .unavailable, .deadlineExceeded, .connectionReset, .htmlBadGateway:
            return faulted(fault, normal: .json(200, .null), errorType: errorType) ?? .json(200, .null)
        case nil: break
        }
        let chunks: [[UInt8]]
        if sse {
            chunks = events.map { Array("data: ".utf8) + $0 + Array("\r\n\r\n".utf8) }
        } else {
            // Without alt=sse the stream is one JSON array, sent element by element.
            chunks = events.enumerated().map { index, event in
                Array((index == 0 ? "[" : ",\r\n").utf8) + event + (index == events.count - 1 && !cut ? Array("]".utf8) : [])
            }
        }
        return EmulatorReply(action: .stream(contentType: sse ? EmulatorReply.sseType : EmulatorReply.jsonType, chunks: chunks, gap: Self.streamGap, cut: cut))
    }
}
#endif
