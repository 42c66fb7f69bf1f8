import GatewayCore

/// Real error bodies of OpenAI-compatible APIs (masked keys and ids elided), each with its
/// source, and the kind the provider must give them.
struct ErrorFixture: Sendable, CustomTestStringConvertible {
    var name: String
    var status: Int
    var body: String
    var headers: [String: String] = [:]
    var expected: Failure.Kind
    var testDescription: String { name }
}

import Testing

enum ErrorFixtures {
    static let all: [ErrorFixture] = [
        // ChatGPTNextWeb/NextChat#2358
        ErrorFixture(name: "400 context_length_exceeded", status: 400,
            body: #"{"error":{"message":"This model's maximum context length is 16385 tokens. However, your messages resulted in 16468 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
            expected: .badRequest(status: 400)),
        // fish2018/YPrompt#26
        ErrorFixture(name: "400 unsupported_parameter", status: 400,
            body: #"{"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}}"#,
            expected: .badRequest(status: 400)),
        // chatanywhere/GPT_API_free#62 (the message echoes a masked key)
        ErrorFixture(name: "401 invalid_api_key", status: 401,
            body: #"{"error":{"message":"Incorrect API key provided: sk-abc*************************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#,
            expected: .invalidKey),
        // continuedev/continue#11449
        ErrorFixture(name: "403 unsupported region (not the key)", status: 403,
            body: #"{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}}"#,
            expected: .badRequest(status: 403)),
        // OpenAI error-codes guide: 403 permission (no body published; shape as the envelope)
        ErrorFixture(name: "403 permission", status: 403,
            body: #"{"error":{"message":"You are not allowed to sample from this model","type":"invalid_request_error","param":null,"code":null}}"#,
            expected: .permissionDenied),
        // Shopify/roast#13
        ErrorFixture(name: "404 model_not_found", status: 404,
            body: #"{"error":{"message":"The model `gpt-nope` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}"#,
            expected: .badRequest(status: 404)),
        // openai/codex#88, with the retry-after header OpenAI's guide tells callers to follow
        ErrorFixture(name: "429 rate_limit_exceeded with retry-after", status: 429,
            body: #"{"error":{"message":"Rate limit reached for o4-mini in organization org-*** on tokens per min (TPM): Limit 200000, Used 162960, Requested 42288. Please try again in 1.574s.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}"#,
            headers: ["retry-after": "2"],
            expected: .rateLimited(RateLimitDetails(retryAfter: .seconds(2), window: .perMinute, quotaID: "rate_limit_exceeded"))),
        // Azure sends retry-after-ms (openai-python reads it first)
        ErrorFixture(name: "429 with retry-after-ms", status: 429,
            body: #"{"error":{"message":"Requests to the ChatCompletions_Create Operation have exceeded call rate limit.","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#,
            headers: ["retry-after-ms": "1500", "retry-after": "9"],
            expected: .rateLimited(RateLimitDetails(retryAfter: .milliseconds(1500), window: .perMinute, quotaID: "rate_limit_exceeded"))),
        // the reset header when the 429 names no wait (OpenAI rate-limits guide)
        ErrorFixture(name: "429 without a hint: the spent budget's reset", status: 429,
            body: #"{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#,
            headers: ["x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "6m0s"],
            expected: .rateLimited(RateLimitDetails(retryAfter: .seconds(360), window: .perMinute, quotaID: "rate_limit_exceeded"))),
        // mattvr/ShellGPT#23
        ErrorFixture(name: "429 insufficient_quota is billing", status: 429,
            body: #"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#,
            expected: .billing),
        // help.openai.com 6614457 (project spend cap)
        ErrorFixture(name: "429 project_spend_limit_exceeded is billing", status: 429,
            body: #"{"error":{"message":"You have exceeded the spend limit of this project.","type":"insufficient_quota","param":null,"code":"project_spend_limit_exceeded"}}"#,
            expected: .billing),
        // error-codes guide: 500 server_error
        ErrorFixture(name: "500 server_error", status: 500,
            body: #"{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}"#,
            expected: .serverError(status: 500)),
        // error-codes guide: 503 overloaded
        ErrorFixture(name: "503 server_is_overloaded", status: 503,
            body: #"{"error":{"message":"The engine is currently overloaded, please try again later","type":"service_unavailable_error","param":null,"code":"server_is_overloaded"}}"#,
            expected: .serverError(status: 503)),
        ErrorFixture(name: "502 HTML from a proxy", status: 502,
            body: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
            expected: .serverError(status: 502)),
        // n4ze3m/page-assist#406: Gemini's OpenAI endpoint, an array of Google envelopes
        ErrorFixture(name: "Gemini array 429 RESOURCE_EXHAUSTED", status: 429,
            body: #"[{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}]"#,
            expected: .rateLimited(RateLimitDetails(window: .perMinute))),
        // continuedev/continue#8516: an invalid Gemini key is a 400 with API_KEY_INVALID
        ErrorFixture(name: "Gemini array 400 API_KEY_INVALID", status: 400,
            body: #"[{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}]"#,
            expected: .invalidKey),
        // SuzumiyaAkizuki/ComfyUI-NewBie-LLM-Formatter#3
        ErrorFixture(name: "Gemini array 400 unknown field", status: 400,
            body: #"[{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"reasoning\": Cannot find field.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"description":"Invalid JSON payload received. Unknown name \"reasoning\": Cannot find field."}]}]}}]"#,
            expected: .badRequest(status: 400)),
        // the native Gemini 429 body inside the array: RetryInfo and a per-day QuotaFailure
        ErrorFixture(name: "Gemini array 429 per day with RetryInfo", status: 429,
            body: #"[{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"47s"}]}}]"#,
            expected: .rateLimited(RateLimitDetails(retryAfter: .seconds(47), window: .perDay, quotaID: "GenerateRequestsPerDayPerProjectPerModel-FreeTier"))),
        // OpenRouter: numeric code inside the error object
        ErrorFixture(name: "OpenRouter 402 numeric code", status: 402,
            body: #"{"error":{"code":402,"message":"This request requires more credits, or fewer max_tokens."}}"#,
            expected: .billing),
        // vLLM (older versions): a flat error object
        ErrorFixture(name: "vLLM flat 400", status: 400,
            body: #"{"object":"error","message":"This model's maximum context length is 4096 tokens.","type":"BadRequestError","param":null,"code":400}"#,
            expected: .badRequest(status: 400)),
        ErrorFixture(name: "empty 500", status: 500, body: "", expected: .serverError(status: 500)),
        ErrorFixture(name: "408 is a timeout", status: 408, body: "", expected: .timeout),
    ]
}
