import GatewayCore

/// One error answer and how it must be classified.
struct ErrorFixture: Sendable, CustomStringConvertible {
    let name: String
    let status: Int
    let body: String
    let expected: Failure.Kind
    /// Text the failure's message must contain, if any.
    var mentions: String? = nil

    var description: String { name }
}

/// Real envelope shapes, as Gemini answers them (keys and project numbers elided); ARCHITECTURE.md lists their sources.
enum ErrorFixtures {
    static let echoedKey = "AIza.SyECHOEDKEY0123456789abcdef"

    /// 14 h: from ``Instants/juneMorning`` to the next Pacific midnight.
    static let untilMidnight = Duration.seconds(14 * 3600)

    static let all: [ErrorFixture] = [
        ErrorFixture(name: "400 invalid key", status: 400, body: """
            { "error": { "code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT",
              "details": [ { "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                             "domain": "googleapis.com", "metadata": { "service": "generativelanguage.googleapis.com" } },
                           { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US",
                             "message": "API key not valid. Please pass a valid API key." },
                           { "@type": "type.googleapis.com/google.rpc.DebugInfo", "detail": "[ORIGINAL ERROR] generic::invalid_argument" } ] } }
            """, expected: .invalidKey, mentions: "API_KEY_INVALID"),
        ErrorFixture(name: "400 expired key", status: 400, body: """
            { "error": { "code": 400, "message": "API key expired. Please renew the API key.", "status": "INVALID_ARGUMENT",
              "details": [ { "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                             "domain": "googleapis.com", "metadata": { "service": "generativelanguage.googleapis.com" } } ] } }
            """, expected: .invalidKey, mentions: "expired"),
        ErrorFixture(name: "401 auth key rejected", status: 401, body: """
            { "error": { "code": 401, "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
              "status": "UNAUTHENTICATED",
              "details": [ { "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "ACCESS_TOKEN_TYPE_UNSUPPORTED",
                             "metadata": { "method": "google.ai.generativelanguage.v1beta.GenerativeService.GenerateContent",
                                           "service": "generativelanguage.googleapis.com" } } ] } }
            """, expected: .invalidKey),
        ErrorFixture(name: "401 without details", status: 401, body: """
            {"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}
            """, expected: .invalidKey),
        ErrorFixture(name: "403 service disabled", status: 403, body: """
            { "error": { "code": 403, "message": "Generative Language API has not been used in project 12345678 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=12345678 then retry.",
              "status": "PERMISSION_DENIED",
              "details": [ { "@type": "type.googleapis.com/google.rpc.Help", "links": [ { "description": "Google developers console API activation", "url": "https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=12345678" } ] },
                           { "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED", "domain": "googleapis.com",
                             "metadata": { "service": "generativelanguage.googleapis.com", "consumer": "projects/12345678" } } ] } }
            """, expected: .permissionDenied, mentions: "service disabled"),
        ErrorFixture(name: "403 suspended (echoes the key)", status: 403, body: """
            { "error": { "code": 403, "message": "Permission denied: Consumer 'api_key:\(echoedKey)' has been suspended.", "status": "PERMISSION_DENIED",
              "details": [ { "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "CONSUMER_SUSPENDED", "domain": "googleapis.com",
                             "metadata": { "consumer": "projects/987654", "service": "generativelanguage.googleapis.com", "containerInfo": "api_key:\(echoedKey)" } },
                           { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US",
                             "message": "Permission denied: Consumer 'api_key:\(echoedKey)' has been suspended." } ] } }
            """, expected: .permissionDenied, mentions: "suspended"),
        ErrorFixture(name: "403 leaked", status: 403, body: """
            {"error":{"code":403,"message":"Your API key was reported as leaked. Please use another API key.","status":"PERMISSION_DENIED"}}
            """, expected: .permissionDenied, mentions: "leaked"),
        ErrorFixture(name: "403 unregistered callers", status: 403, body: """
            {"error":{"code":403,"message":"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.","status":"PERMISSION_DENIED"}}
            """, expected: .other, mentions: "unregistered callers"),
        ErrorFixture(name: "403 file of another project", status: 403, body: """
            {"error":{"code":403,"message":"You do not have permission to access the File abc123 or it may not exist.","status":"PERMISSION_DENIED"}}
            """, expected: .badRequest(status: 403), mentions: "File abc123"),
        ErrorFixture(name: "404 unknown model", status: 404, body: """
            { "error": { "code": 404, "message": "models/gemini-5.0-flash is not found for API version v1, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.",
              "status": "NOT_FOUND", "details": [ { "@type": "type.googleapis.com/google.rpc.DebugInfo", "detail": "[ORIGINAL ERROR] generic::not_found" } ] } }
            """, expected: .badRequest(status: 404), mentions: "gemini-5.0-flash"),
        ErrorFixture(name: "400 input too long", status: 400, body: """
            {"error":{"code":400,"message":"The input token count (3475108) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}
            """, expected: .badRequest(status: 400), mentions: "3475108"),
        ErrorFixture(name: "400 location", status: 400, body: """
            {"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}
            """, expected: .badRequest(status: 400), mentions: "FAILED_PRECONDITION"),
        ErrorFixture(name: "429 per-minute input tokens", status: 429, body: """
            { "error": { "code": 429,
              "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
              "status": "RESOURCE_EXHAUSTED",
              "details": [
                { "@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [ {
                    "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count",
                    "quotaId": "GenerateContentInputTokensPerModelPerMinute-FreeTier",
                    "quotaDimensions": { "location": "global", "model": "gemini-2.5-flash" },
                    "quotaValue": "250000" } ] },
                { "@type": "type.googleapis.com/google.rpc.Help",
                  "links": [ { "description": "Learn more about Gemini API quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits" } ] },
                { "@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "26s" } ] } }
            """, expected: .rateLimited(RateLimitDetails(
                retryAfter: .seconds(26), window: .perMinute, quotaID: "GenerateContentInputTokensPerModelPerMinute-FreeTier"))),
        ErrorFixture(name: "429 per-minute requests, fractional delay", status: 429, body: """
            {"error":{"code":429,"message":"You exceeded your current quota. Please retry in 54.887755558s.","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests",
               "quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-pro"},"quotaValue":"2"}]},
               {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.5s"}]}}
            """, expected: .rateLimited(RateLimitDetails(
                retryAfter: .milliseconds(500), window: .perMinute, quotaID: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                requestLimit: 2))),
        ErrorFixture(name: "429 per-day with retryDelay 47s cools until Pacific midnight", status: 429, body: """
            {"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[
                {"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-flash"},"quotaValue":"10"},
                {"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-flash"},"quotaValue":"250"}]},
               {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"47s"}]}}
            """, expected: .rateLimited(RateLimitDetails(
                retryAfter: untilMidnight, window: .perDay, quotaID: "GenerateRequestsPerDayPerProjectPerModel-FreeTier"))),
        ErrorFixture(name: "429 limit: 0 (no quota for the model)", status: 429, body: """
            {"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.0-flash\\nPlease retry in 1.68122827s.","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.0-flash"}}]},
               {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1s"}]}}
            """, expected: .rateLimited(RateLimitDetails(
                retryAfter: untilMidnight, window: .perDay, quotaID: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")),
            mentions: "limit: 0"),
        ErrorFixture(name: "429 bare", status: 429, body: """
            {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}
            """, expected: .rateLimited(RateLimitDetails(window: .unknown))),
        ErrorFixture(name: "429 older 2024 RATE_LIMIT_EXCEEDED", status: 429, body: """
            {"error":{"code":429,"message":"Quota exceeded for quota metric 'Generate Content API requests per minute' and limit 'GenerateContent request limit per minute for a region' of service 'generativelanguage.googleapis.com' for consumer 'project_number:123'.","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com",
               "metadata":{"service":"generativelanguage.googleapis.com","quota_metric":"generativelanguage.googleapis.com/generate_content_requests","quota_location":"us-east1",
                 "quota_limit":"GenerateContentRequestsPerMinutePerProjectPerRegion","quota_limit_value":"60","consumer":"projects/123"}}]}}
            """, expected: .rateLimited(RateLimitDetails(
                window: .perMinute, quotaID: "GenerateContentRequestsPerMinutePerProjectPerRegion"))),
        ErrorFixture(name: "429 RetryInfo only", status: 429, body: """
            {"error":{"code":429,"message":"Resource exhausted.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"900ms"}]}}
            """, expected: .rateLimited(RateLimitDetails(retryAfter: .milliseconds(900), window: .unknown))),
        ErrorFixture(name: "402 prepay depleted", status: 402, body: """
            {"error":{"code":402,"message":"Your prepayment credits are depleted. Please go to AI Studio at https://ai.studio/projects to manage your project and billing.","status":"RESOURCE_EXHAUSTED"}}
            """, expected: .billing, mentions: "prepayment"),
        ErrorFixture(name: "429 prepay depleted (before the 402 change)", status: 429, body: """
            {"error":{"code":429,"message":"Your prepayment credits are depleted. Please go to AI Studio at https://ai.studio/projects to manage your project and billing.","status":"RESOURCE_EXHAUSTED"}}
            """, expected: .billing),
        ErrorFixture(name: "500 internal", status: 500, body: """
            {"error":{"code":500,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}}
            """, expected: .serverError(status: 500), mentions: "internal error"),
        ErrorFixture(name: "503 overloaded", status: 503, body: """
            {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}
            """, expected: .serverError(status: 503), mentions: "overloaded"),
        ErrorFixture(name: "504 deadline", status: 504, body: """
            {"error":{"code":504,"message":"Deadline Exceeded","status":"DEADLINE_EXCEEDED"}}
            """, expected: .serverError(status: 504)),
        ErrorFixture(name: "502 HTML page", status: 502, body: """
            <!DOCTYPE html><html lang=en><meta charset=utf-8><meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width"><title>Error 502 (Server Error)!!1</title><style>*{margin:0;padding:0}html,code{font:15px/22px arial,sans-serif}html{background:#fff;color:#222;padding:15px}</style><a href=//www.google.com/><span id=logo aria-label=Google></span></a><p><b>502.</b> <ins>That’s an error.</ins><p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds. <ins>That’s all we know.</ins>
            """, expected: .serverError(status: 502), mentions: "502"),
        ErrorFixture(name: "503 plain text", status: 503, body: "upstream connect error or disconnect/reset before headers",
                     expected: .serverError(status: 503), mentions: "upstream connect error"),
        ErrorFixture(name: "500 empty body", status: 500, body: "", expected: .serverError(status: 500)),
        ErrorFixture(name: "499 cancelled", status: 499, body: """
            {"error":{"code":499,"message":"The operation was cancelled.","status":"CANCELLED"}}
            """, expected: .serverError(status: 499)),
        ErrorFixture(name: "429 wrapped in an array", status: 429, body: """
            [{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED",
              "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
                         {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"40s"}]}}]
            """, expected: .rateLimited(RateLimitDetails(
                retryAfter: .seconds(40), window: .perMinute, quotaID: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"))),
        ErrorFixture(name: "400 invalid key wrapped in an array", status: 400, body: """
            [{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
              "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}]
            """, expected: .invalidKey),
        ErrorFixture(name: "error envelope under 200 (late stream error)", status: 200, body: """
            {"error":{"code":500,"message":"An internal error has occurred.","status":"INTERNAL"}}
            """, expected: .serverError(status: 500)),
        ErrorFixture(name: "408 from a proxy", status: 408, body: "Request Timeout", expected: .timeout),
        ErrorFixture(name: "details of odd shapes are skipped, not fatal", status: 429, body: """
            {"error":{"code":429,"message":"x","status":"RESOURCE_EXHAUSTED","details":[42,"s",{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[7,{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaValue":15}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":12}]}}
            """, expected: .rateLimited(RateLimitDetails(window: .perMinute, quotaID: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", requestLimit: 15))),
    ]
}
