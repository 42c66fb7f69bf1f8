#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
/// How the OpenAI surface shapes answers: normal, faulted and streamed (the counterpart of the
/// native surface's `EmulatorEngine+Replies.swift`, drawing on the same fault plan).
extension EmulatorEngine {
    func chatUnary(_ answer: Answer, model: String, created: Int, fault: Fault?) -> EmulatorReply {
        if let reply = serverFault(fault) { return reply }
        let body = OpenAIBodies.completion(answer, model: model, created: created, ending: Self.ending(fault))
        return shaped(.json(200, body, contentType: Self.openAIJSONType), fault: fault)
    }

    func chatStream(_ answer: Answer, model: String, created: Int, includeUsage: Bool, fault: Fault?) -> EmulatorReply {
        if let reply = serverFault(fault) { return reply }
        var events = OpenAIBodies.chunks(answer, model: model, created: created, ending: Self.ending(fault), includeUsage: includeUsage).map(\.bytes)
        var done = true
        var cut = false
        switch fault {
        case .malformedBody:
            events = [Array(events[0].prefix(max(1, events[0].count / 2)))]
            done = false
        case .streamCut:
            events = [events[0]]
            (done, cut) = (false, true)
        case .streamError:
            events = [events[0], OpenAIFailure.internalError.streamEvent(configuration.openAIErrorStyle).bytes]
            done = false
        default: break
        }
        var frames = events.map { Array("data: ".utf8) + $0 + Array("\n\n".utf8) }
        if done { frames.append(Array("data: [DONE]\n\n".utf8)) }
        var reply = EmulatorReply(action: .stream(contentType: Self.openAISSEType, chunks: frames, gap: Self.streamGap, cut: cut))
        if fault == .slow { reply.delay += .milliseconds(configuration.faults.slowMilliseconds) }
        return reply
    }

    /// How a drawn fault ends a chat choice.
    static func ending(_ fault: Fault?) -> OpenAIBodies.Ending {
        switch fault {
        case .blockedPrompt, .safety: .contentFilter
        case .maxTokens: .budgetSpent
        default: .normal
        }
    }

    /// The reply for a fault that replaces the answer before any of it is sent, or nil.
    func serverFault(_ fault: Fault?) -> EmulatorReply? {
        switch fault {
        case .internalError: openAIError(.internalError)
        case .unavailable: openAIError(.unavailable)
        case .deadlineExceeded: openAIError(.deadlineExceeded)
        case .connectionReset: EmulatorReply(action: .reset)
        case .htmlBadGateway:
            EmulatorReply(action: .answer(.init(status: 502, contentType: "text/html; charset=UTF-8", body: Array(ErrorBodies.badGatewayHTML.utf8))))
        default: nil
        }
    }

    /// A whole-body answer after the faults that only alter it: cut in half, or later.
    func shaped(_ reply: EmulatorReply, fault: Fault?) -> EmulatorReply {
        var reply = reply
        switch fault {
        case .malformedBody:
            if case .answer(var answer) = reply.action {
                answer.body = Array(answer.body.prefix(max(1, answer.body.count / 2)))
                reply.action = .answer(answer)
            }
        case .slow: reply.delay += .milliseconds(configuration.faults.slowMilliseconds)
        default: break
        }
        return reply
    }
}
#endif
