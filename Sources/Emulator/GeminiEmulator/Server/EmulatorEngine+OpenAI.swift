#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import Foundation

/// The OpenAI-compatible surface under `/v1beta/openai/`: the same keys, key states, quota
/// admission, fault draw and audit as the native surface (through ``admitReportingQuota``),
/// with OpenAI-shaped bodies, `Authorization: Bearer` keys and, when switched on, rate-limit headers.
extension EmulatorEngine {
    func openAIReply(to request: EmulatorRequest, endpoint: OpenAIEndpoint, route: Route, at now: Duration) -> EmulatorReply {
        if request.bodyTooLarge {
            var reply = openAIError(.payloadTooLarge)
            reply.close = true
            return reply
        }
        if case .unknown(let method, let path) = endpoint { return openAIError(.unknownPath(method: method, path: path)) }
        // As on the native surface: a key in the URL is refused, whatever else the request carries.
        if route.parameter("key") != nil { return openAIError(.keyInURL) }
        guard let keyText = Self.bearerToken(request.authorization) else { return openAIError(.missingKey) }
        guard let index = keyIndex[keyText] else { return openAIError(.invalidKey(keyText)) }
        let key = configuration.keys[index]
        let method = Self.nativeOperation(endpoint).rpcMethod(version: "v1beta")
        if let refusal = OpenAIFailure.keyState(key, projectNumber: Self.projectNumber(key.project), method: method) {
            record(.rejected, key: index)
            return openAIError(refusal)
        }
        switch endpoint {
        case .listModels:
            record(.succeeded, key: index)
            return .json(200, OpenAIBodies.modelList(catalog), contentType: Self.openAIJSONType)
        case .getModel(let id):
            guard let model = catalog.model(id) else {
                record(.badRequest, key: index)
                return openAIError(.modelNotFound(id, method: "getModel"))
            }
            record(.succeeded, key: index)
            return .json(200, OpenAIBodies.model(model), contentType: Self.openAIJSONType)
        case .chatCompletions:
            return chat(request.body, key: index, project: key.project, at: now)
        case .embeddings:
            return embeddings(request.body, key: index, project: key.project, at: now)
        case .unknown(let method, let path):
            return openAIError(.unknownPath(method: method, path: path))
        }
    }

    // MARK: endpoints

    private func chat(_ body: [UInt8], key index: Int, project: String, at now: Duration) -> EmulatorReply {
        let parsed: ChatRequest
        do throws(OpenAIFailure) {
            parsed = try OpenAIRequests.chat(body)
        } catch {
            record(.badRequest, key: index)
            return openAIError(error)
        }
        let modelID = OpenAIEndpoint.modelID(parsed.model)
        guard let model = catalog.model(modelID), model.supports(.generateContent) else {
            record(.badRequest, key: index)
            return openAIError(.modelNotFound(modelID, method: "generateContent"))
        }
        let operation: Operation = parsed.stream ? .streamGenerateContent : .generateContent
        var answer = Answer(model: modelID, responseID: "", request: parsed.generate)
        let (admission, status) = admitReportingQuota(key: index, project: project, model: modelID, tokens: answer.totalTokens, operation: operation, at: now)
        switch admission {
        case .rateLimited(let rejection):
            return openAIError(.rateLimited(rejection, model: modelID, project: project), headers: rateLimitHeaders(status, retryAfter: rejection.retryAfter))
        case .admitted(let fault, let number):
            answer.responseID = Self.responseID(number, seed: configuration.seed)
            let created = Int(Date().timeIntervalSince1970)
            var reply = parsed.stream
                ? chatStream(answer, model: parsed.model, created: created, includeUsage: parsed.includeUsage, fault: fault)
                : chatUnary(answer, model: parsed.model, created: created, fault: fault)
            reply.headers += rateLimitHeaders(status)
            return reply
        }
    }

    private func embeddings(_ body: [UInt8], key index: Int, project: String, at now: Duration) -> EmulatorReply {
        let parsed: EmbeddingsRequest
        do throws(OpenAIFailure) {
            parsed = try OpenAIRequests.embeddings(body)
        } catch {
            record(.badRequest, key: index)
            return openAIError(error)
        }
        let modelID = OpenAIEndpoint.modelID(parsed.model)
        guard let model = catalog.model(modelID), model.supports(.embedContent) else {
            record(.badRequest, key: index)
            return openAIError(.modelNotFound(modelID, method: "embedContent"))
        }
        // The same estimate as native embeddings: characters / 4, rounded up, per text.
        let tokens = parsed.inputs.reduce(0) { $0 + ($1.count + 3) / 4 }
        let (admission, status) = admitReportingQuota(key: index, project: project, model: modelID, tokens: tokens, operation: .embedContent, at: now)
        switch admission {
        case .rateLimited(let rejection):
            return openAIError(.rateLimited(rejection, model: modelID, project: project), headers: rateLimitHeaders(status, retryAfter: rejection.retryAfter))
        case .admitted(let fault, _):
            var reply = serverFault(fault) ?? shaped(.json(200, OpenAIBodies.embeddings(parsed, tokens: tokens), contentType: Self.openAIJSONType), fault: fault)
            reply.headers += rateLimitHeaders(status)
            return reply
        }
    }

    // MARK: helpers

    /// An error in the configured style, with `headers`.
    func openAIError(_ failure: OpenAIFailure, headers: [(String, String)] = []) -> EmulatorReply {
        let (status, body) = failure.styled(configuration.openAIErrorStyle)
        var reply = EmulatorReply.json(status, body, contentType: Self.openAIJSONType)
        reply.headers = headers
        return reply
    }

    /// The rate-limit headers for `status`, or none when they are switched off.
    private func rateLimitHeaders(_ status: QuotaStatus, retryAfter: Duration? = nil) -> [(String, String)] {
        configuration.openAIRateLimitHeaders ? RateLimitHeaders.fields(status, retryAfter: retryAfter) : []
    }

    /// The key of `Authorization: Bearer <key>` (the scheme in any case), or nil when there is none.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The native operation an endpoint stands for, for the RPC name 401 bodies carry.
    private static func nativeOperation(_ endpoint: OpenAIEndpoint) -> Operation {
        switch endpoint {
        case .chatCompletions, .unknown: .generateContent
        case .embeddings: .embedContent
        case .listModels: .listModels
        case .getModel: .getModel
        }
    }

    static let openAIJSONType = "application/json"
    static let openAISSEType = "text/event-stream; charset=utf-8"
}
#endif
