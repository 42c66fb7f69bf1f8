/// The deterministic answer to a generate request: "Emulated answer to: <first 60 characters
/// of the last user text>", cut to `maxOutputTokens` words (one word = one token here).
struct Answer: Sendable, Equatable {
    static let prefix = "Emulated answer to: "

    var model: String
    var responseID: String
    var promptTokens: Int
    /// The answer's words, each with its leading space except the first.
    var pieces: [String]
    var finishReason: String

    init(model: String, responseID: String, request: GenerateRequest) {
        self.model = model
        self.responseID = responseID
        self.promptTokens = request.promptTokens
        let text = Self.prefix + String(request.lastUserText.prefix(60))
        var pieces = Self.split(text)
        var finishReason = "STOP"
        if let limit = request.maxOutputTokens, pieces.count > limit {
            pieces = Array(pieces.prefix(limit))
            finishReason = "MAX_TOKENS"
        }
        self.pieces = pieces
        self.finishReason = finishReason
    }

    var text: String { pieces.joined() }
    var candidateTokens: Int { pieces.count }
    /// What the answer costs against a tokens-per-minute quota.
    var totalTokens: Int { promptTokens + candidateTokens }

    /// Words with their separators attached to the following word, so they join back exactly.
    static func split(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            if character.isWhitespace, !current.isEmpty, !(current.last?.isWhitespace ?? false) {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    // MARK: bodies

    func usage(candidates: Int?, thoughts: Int? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("promptTokenCount", .int(promptTokens))]
        if let candidates { members.append(("candidatesTokenCount", .int(candidates))) }
        members.append(("totalTokenCount", .int(promptTokens + (candidates ?? 0) + (thoughts ?? 0))))
        members.append(("promptTokensDetails", [.object([("modality", "TEXT"), ("tokenCount", .int(promptTokens))])]))
        if let thoughts { members.append(("thoughtsTokenCount", .int(thoughts))) }
        return .object(members)
    }

    func response(candidates: [JSONValue]?, usage: JSONValue, promptFeedback: JSONValue? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let candidates { members.append(("candidates", .array(candidates))) }
        if let promptFeedback { members.append(("promptFeedback", promptFeedback)) }
        members += [("usageMetadata", usage), ("modelVersion", .string(model)), ("responseId", .string(responseID))]
        return .object(members)
    }

    static func candidate(text: String?, finishReason: String?, safetyRatings: JSONValue? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let text {
            members.append(("content", .object([("parts", [.object([("text", .string(text))])]), ("role", "model")])))
        }
        if let finishReason { members += [("finishReason", .string(finishReason)), ("index", 0)] }
        if let safetyRatings { members.append(("safetyRatings", safetyRatings)) }
        return .object(members)
    }

    /// The unary body.
    var unaryJSON: JSONValue {
        response(candidates: [Self.candidate(text: text, finishReason: finishReason)], usage: usage(candidates: candidateTokens))
    }

    /// The stream's events: the text in up to 3 deltas, usage cumulative, the last with the finish reason.
    var streamJSON: [JSONValue] {
        let groups = Self.groups(pieces, count: 3)
        var sent = 0
        return groups.enumerated().map { index, group in
            sent += group.count
            let last = index == groups.count - 1
            return response(candidates: [Self.candidate(text: group.joined(), finishReason: last ? finishReason : nil)], usage: usage(candidates: sent))
        }
    }

    /// `items` in at most `count` consecutive, nearly equal, non-empty groups (one empty group for no items).
    static func groups(_ items: [String], count: Int) -> [[String]] {
        guard !items.isEmpty else { return [[]] }
        let groups = min(count, items.count)
        return (0..<groups).map { index in
            Array(items[(items.count * index / groups)..<(items.count * (index + 1) / groups)])
        }
    }

    // MARK: fault bodies

    static func ratings(blocked category: String) -> JSONValue {
        .array(["HARM_CATEGORY_SEXUALLY_EXPLICIT", "HARM_CATEGORY_HATE_SPEECH", "HARM_CATEGORY_HARASSMENT", "HARM_CATEGORY_DANGEROUS_CONTENT"].map { name in
            name == category
                ? .object([("category", .string(name)), ("probability", "HIGH"), ("blocked", true)])
                : .object([("category", .string(name)), ("probability", "NEGLIGIBLE")])
        })
    }

    /// A blocked prompt: promptFeedback only, no candidates.
    var blockedJSON: JSONValue {
        response(candidates: nil, usage: usage(candidates: nil), promptFeedback: .object([("blockReason", "SAFETY"), ("safetyRatings", Self.ratings(blocked: "HARM_CATEGORY_HATE_SPEECH"))]))
    }

    /// A candidate stopped for safety, without content.
    var safetyJSON: JSONValue {
        response(candidates: [Self.candidate(text: nil, finishReason: "SAFETY", safetyRatings: Self.ratings(blocked: "HARM_CATEGORY_HARASSMENT"))], usage: usage(candidates: nil))
    }

    /// A thinking model that spent its whole budget: role only, no parts.
    var maxTokensJSON: JSONValue {
        let candidate: JSONValue = .object([("content", .object([("role", "model")])), ("finishReason", "MAX_TOKENS"), ("index", 0)])
        return response(candidates: [candidate], usage: usage(candidates: nil, thoughts: Self.thinkingBudget))
    }

    /// The thought tokens a MAX_TOKENS fault claims were spent.
    static let thinkingBudget = 64
}
