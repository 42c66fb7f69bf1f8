/// The Google error envelope, `{"error": {code, message, status, details[]}}`, also accepted
/// wrapped in an array (`[{"error": …}]`, as the OpenAI-compatible surface sends it).
///
/// Decoding is lenient field by field: a detail of an unexpected shape is kept as far as it
/// reads, so one odd field never hides the rest of the envelope.
struct ErrorEnvelope: Decodable, Sendable {
    var code: Int?
    var message: String
    var status: String?
    var details: [Detail]

    /// One entry of `details[]`; which fields are set depends on its `@type`.
    struct Detail: Decodable, Sendable {
        var type: String?
        /// `ErrorInfo.reason`.
        var reason: String?
        /// `ErrorInfo.metadata`.
        var metadata: [String: String]
        /// `QuotaFailure.violations`.
        var violations: [Violation]
        /// `RetryInfo.retryDelay`.
        var retryDelay: String?

        /// Whether the `@type` URL names this `google.rpc` type, e.g. `"ErrorInfo"`.
        func isType(_ name: String) -> Bool { type?.hasSuffix("google.rpc.\(name)") == true }

        private enum CodingKeys: String, CodingKey {
            case type = "@type", reason, metadata, violations, retryDelay
        }

        init(from decoder: any Decoder) throws {
            let container = try? decoder.container(keyedBy: CodingKeys.self)
            type = try? container?.decodeIfPresent(String.self, forKey: .type)
            reason = try? container?.decodeIfPresent(String.self, forKey: .reason)
            metadata = ((try? container?.decodeIfPresent([String: Lenient<String>].self, forKey: .metadata)) ?? [:])
                .compactMapValues(\.value)
            violations = ((try? container?.decodeIfPresent([Lenient<Violation>].self, forKey: .violations)) ?? [])
                .compactMap(\.value)
            retryDelay = try? container?.decodeIfPresent(String.self, forKey: .retryDelay)
        }
    }

    /// One `QuotaFailure` violation.
    struct Violation: Decodable, Sendable {
        var quotaId: String?
        var quotaMetric: String?
        var quotaValue: String?

        private enum CodingKeys: String, CodingKey { case quotaId, quotaMetric, quotaValue }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            quotaId = try? container.decodeIfPresent(String.self, forKey: .quotaId)
            quotaMetric = try? container.decodeIfPresent(String.self, forKey: .quotaMetric)
            // int64 in proto3 JSON is a string; accept a number too.
            quotaValue = (try? container.decodeIfPresent(String.self, forKey: .quotaValue))
                ?? (try? container.decodeIfPresent(Int.self, forKey: .quotaValue)).flatMap { $0.map(String.init) }
        }
    }

    /// `ErrorInfo.reason` values.
    var reasons: [String] { details.filter { $0.isType("ErrorInfo") }.compactMap(\.reason) }
    /// The first `ErrorInfo.metadata` value for `key`.
    func metadata(_ key: String) -> String? { details.lazy.filter { $0.isType("ErrorInfo") }.compactMap { $0.metadata[key] }.first }
    /// Every `QuotaFailure` violation.
    var violations: [Violation] { details.filter { $0.isType("QuotaFailure") }.flatMap(\.violations) }
    /// The `RetryInfo.retryDelay` string, if any.
    var retryDelay: String? { details.lazy.filter { $0.isType("RetryInfo") }.compactMap(\.retryDelay).first }

    private enum CodingKeys: String, CodingKey { case code, message, status, details }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try? container.decodeIfPresent(Int.self, forKey: .code)
        message = (try? container.decodeIfPresent(String.self, forKey: .message)) ?? ""
        status = try? container.decodeIfPresent(String.self, forKey: .status)
        details = ((try? container.decodeIfPresent([Lenient<Detail>].self, forKey: .details)) ?? []).compactMap(\.value)
    }

    /// Reads an envelope from a body, bare or array-wrapped; `nil` when the body is not one.
    static func read(from bytes: [UInt8]) -> ErrorEnvelope? {
        try? WireJSON.decode(Body.self, from: bytes).get().error
    }

    private struct Body: Decodable {
        var error: ErrorEnvelope

        private enum CodingKeys: String, CodingKey { case error }

        init(from decoder: any Decoder) throws {
            if let object = try? decoder.container(keyedBy: CodingKeys.self) {
                error = try object.decode(ErrorEnvelope.self, forKey: .error)
            } else {
                var array = try decoder.unkeyedContainer()
                error = try array.decode(Body.self).error
            }
        }
    }
}

/// Decodes a value if it can and yields `nil` otherwise, without failing its container (so an
/// array of mixed shapes still decodes, element by element).
struct Lenient<Value: Decodable>: Decodable {
    var value: Value?
    init(from decoder: any Decoder) throws { value = try? Value(from: decoder) }
}
