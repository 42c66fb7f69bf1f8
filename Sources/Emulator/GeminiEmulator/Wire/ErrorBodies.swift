/// The error envelopes of the real API, reproduced from captured bodies (Google's
/// `google.rpc.Status` with `ErrorInfo`, `QuotaFailure`, `Help` and `RetryInfo` details).
enum ErrorBodies {
    static let service = "generativelanguage.googleapis.com"
    static let rateLimitsURL = "https://ai.google.dev/gemini-api/docs/rate-limits"

    /// `{"error":{"code","message","status","details"?}}`.
    static func envelope(_ code: Int, _ message: String, _ status: String, details: [JSONValue] = []) -> JSONValue {
        var error: [(String, JSONValue)] = [("code", .int(code)), ("message", .string(message)), ("status", .string(status))]
        if !details.isEmpty { error.append(("details", .array(details))) }
        return .object([("error", .object(error))])
    }

    static func detail(_ type: String, _ members: [(String, JSONValue)]) -> JSONValue {
        .object([("@type", .string("type.googleapis.com/google.rpc.\(type)"))] + members)
    }

    static func localized(_ message: String) -> JSONValue {
        detail("LocalizedMessage", [("locale", "en-US"), ("message", .string(message))])
    }

    // MARK: Keys

    /// 400 `API_KEY_INVALID`, for unknown, invalid and (with the other message) expired keys.
    static func apiKeyInvalid(expired: Bool = false) -> JSONValue {
        let message = expired ? "API key expired. Please renew the API key." : "API key not valid. Please pass a valid API key."
        return envelope(400, message, "INVALID_ARGUMENT", details: [
            detail("ErrorInfo", [("reason", "API_KEY_INVALID"), ("domain", "googleapis.com"), ("metadata", .object([("service", .string(service))]))]),
            localized(message),
        ])
    }

    /// 400 `INVALID_ARGUMENT` for a key in the URL: the emulator's own rule, not the real API's.
    static let keyInURL = envelope(
        400, "API keys go in the x-goog-api-key header. This emulator refuses a key in the URL, where logs and proxies keep it.",
        "INVALID_ARGUMENT")

    /// 401 `ACCESS_TOKEN_TYPE_UNSUPPORTED`, as auth keys were refused in 2026.
    static func unauthenticated(method: String) -> JSONValue {
        envelope(
            401,
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
            "UNAUTHENTICATED",
            details: [detail("ErrorInfo", [("reason", "ACCESS_TOKEN_TYPE_UNSUPPORTED"), ("metadata", .object([("method", .string(method)), ("service", .string(service))]))])])
    }

    /// 403 `CONSUMER_SUSPENDED`. Like the real API, the message and `containerInfo` echo the key.
    static func suspended(key: String, projectNumber: String) -> JSONValue {
        let message = "Permission denied: Consumer 'api_key:\(key)' has been suspended."
        return envelope(403, message, "PERMISSION_DENIED", details: [
            detail("ErrorInfo", [
                ("reason", "CONSUMER_SUSPENDED"), ("domain", "googleapis.com"),
                ("metadata", .object([("consumer", .string("projects/\(projectNumber)")), ("service", .string(service)), ("containerInfo", .string("api_key:\(key)"))])),
            ]),
            localized(message),
        ])
    }

    /// 403 leaked key; the real body has no details.
    static let leaked = envelope(403, "Your API key was reported as leaked. Please use another API key.", "PERMISSION_DENIED")

    /// 403 no key at all.
    static let unregistered = envelope(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        "PERMISSION_DENIED")

    /// 403 `SERVICE_DISABLED`: the project has not enabled the API.
    static func serviceDisabled(projectNumber: String) -> JSONValue {
        let activation = "https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=\(projectNumber)"
        let message = "Generative Language API has not been used in project \(projectNumber) before or it is disabled. Enable it by visiting \(activation) then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry."
        return envelope(403, message, "PERMISSION_DENIED", details: [
            detail("Help", [("links", [.object([("description", "Google developers console API activation"), ("url", .string(activation))])])]),
            detail("ErrorInfo", [
                ("reason", "SERVICE_DISABLED"), ("domain", "googleapis.com"),
                ("metadata", .object([
                    ("service", .string(service)), ("consumer", .string("projects/\(projectNumber)")),
                    ("serviceTitle", "Generative Language API"), ("activationUrl", .string(activation)),
                    ("containerInfo", .string(projectNumber)),
                ])),
            ]),
            localized(message),
        ])
    }

    /// 402: the prepaid credit of the project's billing account is used up.
    static let prepayDepleted = envelope(
        402,
        "Your prepayment credits are depleted. Please go to AI Studio at https://ai.studio/projects to manage your project and billing. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
        "RESOURCE_EXHAUSTED")

    // MARK: Quota

    /// 429 with QuotaFailure, Help and RetryInfo, in the current (2025–26) format.
    static func quotaExceeded(_ rejection: QuotaRejection, model: String) -> JSONValue {
        let delay = formatDelay(rejection.retryAfter)
        var message = "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: \(rateLimitsURL). To monitor your current usage, head to: https://ai.dev/rate-limit. "
        for violation in rejection.violations {
            message += "\n* Quota exceeded for metric: \(violation.kind.quotaMetric), limit: \(violation.limit), model: \(model)"
        }
        message += "\nPlease retry in \(delay)."
        let violations = rejection.violations.map { violation -> JSONValue in
            .object([
                ("quotaMetric", .string(violation.kind.quotaMetric)),
                ("quotaId", .string(violation.kind.quotaID)),
                ("quotaDimensions", .object([("location", "global"), ("model", .string(model))])),
                ("quotaValue", .string(String(violation.limit))),
            ])
        }
        return envelope(429, message, "RESOURCE_EXHAUSTED", details: [
            detail("QuotaFailure", [("violations", .array(violations))]),
            detail("Help", [("links", [.object([("description", "Learn more about Gemini API quotas"), ("url", .string(rateLimitsURL))])])]),
            detail("RetryInfo", [("retryDelay", .string(delay))]),
        ])
    }

    /// A protobuf Duration string in seconds, rounded up to the millisecond, with up to 3
    /// decimals and at least `0.001s`: `"0.734s"`, `"2.5s"`, `"54s"`.
    static func formatDelay(_ delay: Duration) -> String {
        let (seconds, attoseconds) = delay.components
        var milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if attoseconds % 1_000_000_000_000_000 != 0 { milliseconds += 1 }
        milliseconds = max(milliseconds, 1)
        let whole = milliseconds / 1000
        let fraction = milliseconds % 1000
        guard fraction != 0 else { return "\(whole)s" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)s"
    }

    // MARK: Server side

    static let internalError = envelope(500, "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting", "INTERNAL")
    static let unavailable = envelope(503, "The model is overloaded. Please try again later.", "UNAVAILABLE")
    static let deadlineExceeded = envelope(504, "Deadline Exceeded", "DEADLINE_EXCEEDED")

    /// Google's front-end 502 page (HTML, not JSON).
    static let badGatewayHTML = """
        <!DOCTYPE html>
        <html lang=en>
          <meta charset=utf-8>
          <meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width">
          <title>Error 502 (Server Error)!!1</title>
          <a href=//www.google.com/><span id=logo aria-label=Google></span></a>
          <p><b>502.</b> <ins>That’s an error.</ins>
          <p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins>

        """

    // MARK: Requests

    /// 404 for a model that does not exist or does not support the method.
    static func modelNotFound(_ model: String, version: String, method: String) -> JSONValue {
        envelope(
            404,
            "models/\(model) is not found for API version \(version), or is not supported for \(method). Call ListModels to see the list of available models and their supported methods.",
            "NOT_FOUND",
            details: [detail("DebugInfo", [("detail", .string("[ORIGINAL ERROR] generic::not_found: models/\(model) is not found for API version \(version)"))])])
    }

    /// 404 for a path that is no API method.
    static let methodNotFound = envelope(404, "Method not found.", "NOT_FOUND")

    /// 400 INVALID_ARGUMENT; JSON syntax and unknown-field errors carry a BadRequest detail like the real ones.
    static func invalidArgument(_ message: String, fieldViolation: Bool = false) -> JSONValue {
        envelope(400, message, "INVALID_ARGUMENT", details: fieldViolation ? [detail("BadRequest", [("fieldViolations", [.object([("description", .string(message))])])])] : [])
    }

    static let payloadTooLarge = invalidArgument("Request payload size exceeds the limit: \(RequestLimits.maxBodyBytes) bytes.")

    /// The mid-stream error event a real stream has been seen to carry.
    static let streamInternalError = internalError
}

/// Limits on what a request may carry.
enum RequestLimits {
    /// 20 MiB, the real API's inline request limit.
    static let maxBodyBytes = 20 * 1024 * 1024
}
