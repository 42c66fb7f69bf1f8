import HTTPTypes

/// Scripts for the Gemini API's common answers, with the real envelope shapes (Google's
/// `google.rpc.Status` with `ErrorInfo`, `QuotaFailure` and `RetryInfo` details).
extension MockResponse {
    /// A successful `generateContent` answer with `text`.
    public static func geminiText(_ text: String, promptTokens: Int = 8, outputTokens: Int = 12) -> MockResponse {
        .json("""
            {"candidates":[{"content":{"parts":[{"text":"\(text.jsonEscaped)"}],"role":"model"},"finishReason":"STOP","index":0}],\
            "usageMetadata":{"promptTokenCount":\(promptTokens),"candidatesTokenCount":\(outputTokens),"totalTokenCount":\(promptTokens + outputTokens)},\
            "modelVersion":"gemini-2.5-flash-lite"}
            """)
    }

    /// A `streamGenerateContent?alt=sse` answer: one `data:` event (CRLF-framed, as the live API
    /// sends them) per text delta, the last with `finishReason` STOP unless `finished` is false.
    /// `cutWith` breaks the connection after the events.
    public static func geminiStream(
        _ deltas: [String], finished: Bool = true, cutWith error: (any Error & Sendable)? = nil
    ) -> MockResponse {
        let events = deltas.enumerated().map { index, delta in
            let finish = finished && index == deltas.count - 1 ? #","finishReason":"STOP""# : ""
            return #"data: {"candidates":[{"content":{"parts":[{"text":"\#(delta.jsonEscaped)"}],"role":"model"}\#(finish)}],"#
                + #""usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":\#(index + 1),"totalTokenCount":\#(9 + index)},"modelVersion":"gemini-2.5-flash-lite"}"#
                + "\r\n\r\n"
        }
        var response = MockResponse.stream(events, cutWith: error)
        response.headers[.contentType] = "text/event-stream"
        return response
    }

    /// 429 with `QuotaFailure` and `RetryInfo` (per-minute request quota by default).
    /// - Parameters:
    ///   - retryDelay: The `RetryInfo.retryDelay` string, e.g. `"26s"` or `"0.5s"`; `nil` omits RetryInfo.
    ///   - quotaID: The violated `quotaId`.
    ///   - model: The model named in the quota's dimensions.
    public static func geminiRateLimited(
        retryDelay: String? = "26s",
        quotaID: String = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
        model: String = "gemini-2.5-flash-lite"
    ) -> MockResponse {
        let retryInfo = retryDelay.map {
            #",{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"\#($0.jsonEscaped)"}"#
        } ?? ""
        return .json("""
            {"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",\
            "status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests",\
            "quotaId":"\(quotaID.jsonEscaped)","quotaDimensions":{"location":"global","model":"\(model.jsonEscaped)"},"quotaValue":"15"}]},\
            {"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Learn more about Gemini API quotas","url":"https://ai.google.dev/gemini-api/docs/rate-limits"}]}\(retryInfo)]}}
            """, status: 429)
    }

    /// 429 for the per-day request quota.
    public static func geminiDailyQuotaExceeded(model: String = "gemini-2.5-flash-lite") -> MockResponse {
        geminiRateLimited(retryDelay: "47s", quotaID: "GenerateRequestsPerDayPerProjectPerModel-FreeTier", model: model)
    }

    /// 429 without details.
    public static let geminiBareRateLimited = MockResponse.json(
        #"{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}"#,
        status: 429)

    /// 400 `API_KEY_INVALID`.
    public static let geminiInvalidKey = MockResponse.json("""
        {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",\
        "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com",\
        "metadata":{"service":"generativelanguage.googleapis.com"}}]}}
        """, status: 400)

    /// 403 leaked key (no details).
    public static let geminiLeakedKey = MockResponse.json(
        #"{"error":{"code":403,"message":"Your API key was reported as leaked. Please use another API key.","status":"PERMISSION_DENIED"}}"#,
        status: 403)

    /// 403 `CONSUMER_SUSPENDED`.
    public static let geminiSuspendedKey = MockResponse.json("""
        {"error":{"code":403,"message":"Permission denied: Consumer 'api_key:redacted' has been suspended.","status":"PERMISSION_DENIED",\
        "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"CONSUMER_SUSPENDED","domain":"googleapis.com",\
        "metadata":{"consumer":"projects/123","service":"generativelanguage.googleapis.com"}}]}}
        """, status: 403)

    /// 500 / 503 / 504 with the Gemini envelope.
    public static func geminiServerError(_ status: Int = 503) -> MockResponse {
        let (name, message) = switch status {
        case 500: ("INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting")
        case 504: ("DEADLINE_EXCEEDED", "Deadline Exceeded")
        default: ("UNAVAILABLE", "The model is overloaded. Please try again later.")
        }
        return .json(#"{"error":{"code":\#(status),"message":"\#(message)","status":"\#(name)"}}"#, status: status)
    }

    /// A 502 HTML page from a proxy, as Google's front ends send.
    public static let html502 = MockResponse.text(
        "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 502 (Server Error)!!1</title><p><b>502.</b> <ins>That’s an error.</ins></html>",
        status: 502, contentType: "text/html; charset=UTF-8")

    /// 200 whose prompt was blocked: `promptFeedback.blockReason`, no candidates.
    public static func geminiBlocked(reason: String = "SAFETY") -> MockResponse {
        .json(#"{"promptFeedback":{"blockReason":"\#(reason.jsonEscaped)"},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}"#)
    }
}

extension String {
    var jsonEscaped: String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
