/// One injected fault kind (see ``FaultPlan``).
enum Fault: String, Sendable, CaseIterable {
    case internalError, unavailable, deadlineExceeded, connectionReset, htmlBadGateway, malformedBody
    case blockedPrompt, safety, maxTokens, slow, streamCut, streamError

    /// Whether the fault can happen on an operation.
    func applies(to operation: Operation) -> Bool {
        switch self {
        case .internalError, .unavailable, .deadlineExceeded, .connectionReset, .htmlBadGateway, .malformedBody, .slow:
            operation.drawsQuota
        case .blockedPrompt, .safety, .maxTokens:
            operation == .generateContent || operation == .streamGenerateContent
        case .streamCut, .streamError:
            operation == .streamGenerateContent
        }
    }

    /// Whether the client still gets a normal answer (only later): audited as a success.
    var isBenign: Bool { self == .slow }
}

extension FaultPlan {
    /// The fault for a uniform draw in [0, 1) on `operation`, or nil for none.
    func fault(for draw: Double, on operation: Operation) -> Fault? {
        var cumulative = 0.0
        for (fault, probability) in ordered where fault.applies(to: operation) && probability > 0 {
            cumulative += probability
            if draw < cumulative { return fault }
        }
        return nil
    }
}
