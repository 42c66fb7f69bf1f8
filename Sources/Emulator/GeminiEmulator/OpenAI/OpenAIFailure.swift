/// One error of the OpenAI-compatible surface in both styles: the Google envelope (and status)
/// Gemini's real endpoint answers with, wrapped in an array, and OpenAI's object (and status).
///
/// The Google side is always the native catalogue's body, so the two surfaces never disagree on
/// what a key, quota or fault means; the OpenAI side follows OpenAI's documented catalogue.
struct OpenAIFailure: Sendable {
    var googleStatus: Int
    var google: JSONValue
    var openAIStatus: Int
    var openAI: JSONValue

    /// The status and body to send in `style`.
    func styled(_ style: OpenAIErrorStyle) -> (status: Int, body: JSONValue) {
        switch style {
        case .gemini: (googleStatus, .array([google]))
        case .openAI: (openAIStatus, openAI)
        }
    }

    /// `{"error":{"message","type","param","code"}}`, all four always present.
    static func object(_ message: String, type: String, param: String? = nil, code: String? = nil) -> JSONValue {
        .object([("error", .object([
            ("message", .string(message)), ("type", .string(type)),
            ("param", param.map(JSONValue.string) ?? .null), ("code", code.map(JSONValue.string) ?? .null),
        ]))])
    }

    /// The native status and envelope, and OpenAI's status and object.
    init(google: JSONValue, status googleStatus: Int, openAI: JSONValue, status openAIStatus: Int) {
        self.googleStatus = googleStatus
        self.google = google
        self.openAIStatus = openAIStatus
        self.openAI = openAI
    }

    // MARK: keys

    /// No `Authorization: Bearer` header.
    static let missingKey = OpenAIFailure(
        google: ErrorBodies.unregistered, status: 403,
        openAI: object(
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            type: "invalid_request_error"),
        status: 401)

    /// An unknown, invalid or expired key. OpenAI's message echoes the key masked; so does this one
    /// (`…` and the last 4 characters, or only the length for short keys).
    static func invalidKey(_ key: String, expired: Bool = false) -> OpenAIFailure {
        OpenAIFailure(
            google: ErrorBodies.apiKeyInvalid(expired: expired), status: 400,
            openAI: object(
                "Incorrect API key provided: \(masked(key)). You can find your API key at https://platform.openai.com/account/api-keys.",
                type: "invalid_request_error", code: "invalid_api_key"),
            status: 401)
    }

    /// The answer for a known key that is not valid, or nil for a valid one.
    static func keyState(_ key: EmulatorKey, projectNumber: String, method: String) -> OpenAIFailure? {
        switch key.state {
        case .valid: return nil
        case .invalid: return invalidKey(key.key)
        case .expired: return invalidKey(key.key, expired: true)
        case .unauthenticated:
            let google = ErrorBodies.unauthenticated(method: method)
            return OpenAIFailure(google: google, status: 401, openAI: object(message(google), type: "invalid_request_error", code: "invalid_api_key"), status: 401)
        case .suspended:
            // The native body echoes the key (as the real one does); parity keeps that message here.
            return permissionDenied(ErrorBodies.suspended(key: key.key, projectNumber: projectNumber))
        case .leaked: return permissionDenied(ErrorBodies.leaked)
        case .serviceDisabled: return permissionDenied(ErrorBodies.serviceDisabled(projectNumber: projectNumber))
        case .prepayDepleted: return insufficientQuota
        }
    }

    private static func permissionDenied(_ google: JSONValue) -> OpenAIFailure {
        OpenAIFailure(google: google, status: 403, openAI: object(message(google), type: "permission_error"), status: 403)
    }

    /// A depleted balance: 402 natively, 429 `insufficient_quota` (billing; no wait helps) for OpenAI.
    static let insufficientQuota = OpenAIFailure(
        google: ErrorBodies.prepayDepleted, status: 402,
        openAI: object(
            "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
            type: "insufficient_quota", code: "insufficient_quota"),
        status: 429)

    /// A key in the URL, which this emulator refuses on both surfaces.
    static let keyInURL = invalidRequest(ErrorBodies.keyInURL)

    // MARK: quota

    /// 429 from the quota ledger: `rate_limit_exceeded`, typed `tokens` when a tpm is exceeded, else `requests`.
    static func rateLimited(_ rejection: QuotaRejection, model: String, project: String) -> OpenAIFailure {
        let wait = GoDuration.format(rejection.retryAfter)
        let parts = rejection.violations.map { violation in
            switch violation.kind {
            case .requestsPerMinute: "requests per min (RPM): Limit \(violation.limit)"
            case .tokensPerMinute: "tokens per min (TPM): Limit \(violation.limit)"
            case .requestsPerDay: "requests per day (RPD): Limit \(violation.limit)"
            }
        }
        let type = rejection.violations.contains { $0.kind == .tokensPerMinute } ? "tokens" : "requests"
        return OpenAIFailure(
            google: ErrorBodies.quotaExceeded(rejection, model: model), status: 429,
            openAI: object(
                "Rate limit reached for \(model) in project \(project) on \(parts.joined(separator: "; ")). Please try again in \(wait).",
                type: type, code: "rate_limit_exceeded"),
            status: 429)
    }

    // MARK: requests

    /// A model that does not exist or cannot serve the endpoint.
    static func modelNotFound(_ model: String, method: String) -> OpenAIFailure {
        OpenAIFailure(
            google: ErrorBodies.modelNotFound(model, version: "v1beta", method: method), status: 404,
            openAI: object("The model `\(model)` does not exist or you do not have access to it.", type: "invalid_request_error", code: "model_not_found"),
            status: 404)
    }

    /// A path that is no endpoint of the surface.
    static func unknownPath(method: String, path: String) -> OpenAIFailure {
        OpenAIFailure(
            google: ErrorBodies.methodNotFound, status: 404,
            openAI: object("Invalid URL (\(method) \(path))", type: "invalid_request_error"), status: 404)
    }

    /// A 400 whose Google side is `google`; the OpenAI side reuses its message.
    static func invalidRequest(_ google: JSONValue, param: String? = nil, code: String? = nil) -> OpenAIFailure {
        OpenAIFailure(google: google, status: 400, openAI: object(message(google), type: "invalid_request_error", param: param, code: code), status: 400)
    }

    /// A 400 for a body the surface refuses.
    static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil, fieldViolation: Bool = false) -> OpenAIFailure {
        invalidRequest(ErrorBodies.invalidArgument(message, fieldViolation: fieldViolation), param: param, code: code)
    }

    /// A field the surface does not know (Gemini's endpoint refuses them, so does this one).
    static func unknownField(_ name: String) -> OpenAIFailure {
        OpenAIFailure(
            google: ErrorBodies.invalidArgument("Invalid JSON payload received. Unknown name \"\(name)\": Cannot find field.", fieldViolation: true),
            status: 400,
            openAI: object("Unrecognized request argument supplied: \(name)", type: "invalid_request_error", param: name, code: "unknown_parameter"),
            status: 400)
    }

    static let payloadTooLarge = invalidRequest(ErrorBodies.payloadTooLarge)

    // MARK: server faults

    static let internalError = OpenAIFailure(
        google: ErrorBodies.internalError, status: 500,
        openAI: object("The server had an error while processing your request. Sorry about that!", type: "server_error"), status: 500)
    static let unavailable = OpenAIFailure(
        google: ErrorBodies.unavailable, status: 503,
        openAI: object("The server is overloaded or not ready yet.", type: "service_unavailable_error", code: "server_is_overloaded"), status: 503)
    static let deadlineExceeded = OpenAIFailure(
        google: ErrorBodies.deadlineExceeded, status: 504,
        openAI: object("The server timed out while processing your request.", type: "server_error", code: "timeout"), status: 504)

    /// The error event inside a 200 stream: an object in both styles (openai-python only reads an
    /// `error` key of an object event).
    func streamEvent(_ style: OpenAIErrorStyle) -> JSONValue { style == .gemini ? google : openAI }

    // MARK: helpers

    /// `error.message` of a Google envelope.
    static func message(_ envelope: JSONValue) -> String {
        guard case .object(let members) = envelope, case .object(let error)? = members.first(where: { $0.0 == "error" })?.1,
            case .string(let text)? = error.first(where: { $0.0 == "message" })?.1
        else { return "" }
        return text
    }

    /// A key as OpenAI's messages show it: never whole.
    static func masked(_ key: String) -> String {
        key.count > 8 ? "…" + key.suffix(4) : "…(\(key.count) chars)"
    }
}
