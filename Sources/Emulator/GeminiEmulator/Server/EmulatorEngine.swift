#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import Foundation
import NIOConcurrencyHelpers

/// Decides every answer: routing, authentication, request checks, quota admission, fault draws
/// and the bodies. Independent of NIO; the connection handler only carries its replies out.
///
/// Shared state (ledger, audit counters, generator) sits in one `NIOLockedValueBox`, held only
/// for the bookkeeping of one request, never while waiting or writing.
final class EmulatorEngine: Sendable {
    struct State: Sendable {
        var ledger: QuotaLedger
        var book: AuditBook
        var random: SplitMix64
        var responses = 0
    }

    /// What admission and the fault draw decided for a quota-drawing request.
    enum Admission {
        case rateLimited(QuotaRejection)
        case admitted(Fault?, responseNumber: Int)
    }

    /// The pause between two stream events.
    static let streamGap: Duration = .milliseconds(5)

    let configuration: EmulatorConfiguration
    let catalog: ModelCatalog
    /// Key text → index in the configuration's keys.
    let keyIndex: [String: Int]
    let state: NIOLockedValueBox<State>

    init(configuration: EmulatorConfiguration) {
        self.configuration = configuration
        let table = QuotaTable(global: configuration.quotas, perProject: configuration.projectQuotas)
        catalog = ModelCatalog(extra: table.namedModels)
        keyIndex = Dictionary(configuration.keys.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        state = NIOLockedValueBox(State(
            ledger: QuotaLedger(table: table, timeScale: configuration.timeScale),
            book: AuditBook(keys: configuration.keys),
            random: SplitMix64(seed: configuration.seed)))
    }

    // MARK: audit

    func audit() -> EmulatorAudit {
        state.withLockedValue { $0.book.audit(ledger: $0.ledger) }
    }

    /// Clears counters and quota windows (the fault generator keeps going).
    func reset() {
        state.withLockedValue { state in
            state.ledger.reset()
            state.book.reset()
        }
    }

    private func auditReply() -> EmulatorReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let body = (try? encoder.encode(audit())).map { Array($0) } ?? Array("{}".utf8)
        return EmulatorReply(action: .answer(.init(status: 200, contentType: EmulatorReply.jsonType, body: body)))
    }

    // MARK: requests

    /// The reply to one request arriving at `now` (real time since an arbitrary origin).
    func reply(to request: EmulatorRequest, at now: Duration) -> EmulatorReply {
        let route = Route(method: request.method, uri: request.uri)
        switch route.target {
        case .audit:
            return auditReply()
        case .reset:
            reset()
            return .json(200, .object([]))
        case .unknown:
            return .json(404, ErrorBodies.methodNotFound)
        case .openAI(let endpoint):
            if case .unknown = endpoint {} else { state.withLockedValue { $0.book.countRequest() } }
            let reply = openAIReply(to: request, endpoint: endpoint, route: route, at: now)
            return withLatency(reply, key: Self.bearerToken(request.authorization), at: now)
        case .api(let version, let operation, let model):
            state.withLockedValue { $0.book.countRequest() }
            let reply = api(request, route: route, version: version, operation: operation, model: model, at: now)
            return withLatency(reply, key: request.apiKeyHeader, at: now)
        }
    }

    /// `reply` with the configured latency added, counted in flight on its key until it is sent.
    private func withLatency(_ reply: EmulatorReply, key: String?, at now: Duration) -> EmulatorReply {
        var reply = reply
        let index = key.flatMap { keyIndex[$0] }
        state.withLockedValue { state in
            var latency = configuration.latencyMilliseconds
            if configuration.latencyJitterMilliseconds > 0 {
                latency += Int(state.random.nextUnit() * Double(configuration.latencyJitterMilliseconds + 1))
            }
            reply.delay += .milliseconds(latency)
            if let index { state.book.recordInFlight(keyIndex: index, from: now, until: now + reply.delay) }
        }
        return reply
    }

    private func api(_ request: EmulatorRequest, route: Route, version: String, operation: Operation, model: String?, at now: Duration) -> EmulatorReply {
        let sse = operation == .streamGenerateContent && route.parameter("alt") == "sse"
        // The real API answered a 429 on an SSE stream with the event-stream content type.
        let errorType = sse ? EmulatorReply.sseType : EmulatorReply.jsonType
        func failure(_ status: Int, _ body: JSONValue) -> EmulatorReply { .json(status, body, contentType: errorType) }

        if request.bodyTooLarge {
            var reply = failure(400, ErrorBodies.payloadTooLarge)
            reply.close = true
            return reply
        }
        // The real API also reads a `key` query parameter; this emulator refuses one, so a client that puts a
        // key in a URL (where logs, proxies and histories keep it) fails its tests.
        if route.parameter("key") != nil { return failure(400, ErrorBodies.keyInURL) }
        guard let keyText = request.apiKeyHeader, !keyText.isEmpty else {
            return failure(403, ErrorBodies.unregistered)
        }
        guard let index = keyIndex[keyText] else { return failure(400, ErrorBodies.apiKeyInvalid()) }
        let key = configuration.keys[index]
        if let (status, body) = authFailure(key, operation: operation, version: version) {
            record(.rejected, key: index)
            return failure(status, body)
        }

        var servedModel: ModelCatalog.Model?
        if let model {
            guard let found = catalog.model(model), found.supports(operation) else {
                record(.badRequest, key: index)
                let method = operation == .getModel ? "getModel" : operation.rawValue
                return failure(404, ErrorBodies.modelNotFound(model, version: version, method: method))
            }
            servedModel = found
        }

        do throws(RequestError) {
            switch operation {
            case .listModels:
                record(.succeeded, key: index)
                return .json(200, catalog.listJSON)
            case .getModel:
                record(.succeeded, key: index)
                return .json(200, servedModel?.json ?? .object([]))
            case .countTokens:
                let tokens = try RequestParser.countTokens(request.body)
                record(.succeeded, key: index)
                return .json(200, .object([("totalTokens", .int(tokens)), ("promptTokensDetails", [.object([("modality", "TEXT"), ("tokenCount", .int(tokens))])])]))
            case .generateContent, .streamGenerateContent:
                let parsed = try RequestParser.generate(request.body)
                var answer = Answer(model: model ?? "", responseID: "", request: parsed)
                switch admit(key: index, project: key.project, model: model ?? "", tokens: answer.totalTokens, operation: operation, at: now) {
                case .rateLimited(let rejection):
                    return failure(429, ErrorBodies.quotaExceeded(rejection, model: model ?? ""))
                case .admitted(let fault, let number):
                    answer.responseID = Self.responseID(number, seed: configuration.seed)
                    return operation == .streamGenerateContent
                        ? streamReply(answer, fault: fault, sse: sse, errorType: errorType)
                        : unaryReply(answer, fault: fault)
                }
            case .embedContent, .batchEmbedContents:
                let batch = operation == .batchEmbedContents
                let requests: [EmbedRequest]
                if batch {
                    requests = try RequestParser.batchEmbed(request.body, model: model ?? "")
                } else {
                    requests = [try RequestParser.embed(request.body)]
                }
                let tokens = requests.reduce(0) { $0 + ($1.text.count + 3) / 4 }
                switch admit(key: index, project: key.project, model: model ?? "", tokens: tokens, operation: operation, at: now) {
                case .rateLimited(let rejection):
                    return failure(429, ErrorBodies.quotaExceeded(rejection, model: model ?? ""))
                case .admitted(let fault, _):
                    let body: JSONValue = batch
                        ? .object([("embeddings", .array(requests.map(Embedding.json)))])
                        : .object([("embedding", Embedding.json(requests[0]))])
                    return faulted(fault, normal: .json(200, body), errorType: errorType) ?? .json(200, body)
                }
            }
        } catch {
            record(.badRequest, key: index)
            return failure(400, error.body)
        }
    }

    // MARK: bookkeeping

    func record(_ outcome: AuditBook.Outcome, key index: Int) {
        state.withLockedValue { $0.book.record(outcome, keyIndex: index) }
    }

    func admit(key index: Int, project: String, model: String, tokens: Int, operation: Operation, at now: Duration) -> Admission {
        admitReportingQuota(key: index, project: project, model: model, tokens: tokens, operation: operation, at: now).admission
    }

    /// ``admit(key:project:model:tokens:operation:at:)``, also reading where the project's
    /// per-minute buckets stand right after it, under the same lock (for rate-limit headers).
    func admitReportingQuota(
        key index: Int, project: String, model: String, tokens: Int, operation: Operation, at now: Duration
    ) -> (admission: Admission, status: QuotaStatus) {
        let plan = configuration.faults
        return state.withLockedValue { state in
            let admission: Admission
            switch state.ledger.admit(project: project, model: model, tokens: tokens, at: now) {
            case .rateLimited(let rejection):
                state.book.record(.rateLimited, keyIndex: index)
                admission = .rateLimited(rejection)
            case .admitted:
                let fault = plan.fault(for: state.random.nextUnit(), on: operation)
                state.book.record(fault.map { $0.isBenign ? .succeeded : .fault } ?? .succeeded, keyIndex: index)
                state.responses += 1
                admission = .admitted(fault, responseNumber: state.responses)
            }
            return (admission, state.ledger.status(project: project, model: model, at: now))
        }
    }

    private func authFailure(_ key: EmulatorKey, operation: Operation, version: String) -> (Int, JSONValue)? {
        let number = Self.projectNumber(key.project)
        switch key.state {
        case .valid: return nil
        case .invalid: return (400, ErrorBodies.apiKeyInvalid())
        case .expired: return (400, ErrorBodies.apiKeyInvalid(expired: true))
        case .unauthenticated: return (401, ErrorBodies.unauthenticated(method: operation.rpcMethod(version: version)))
        case .suspended: return (403, ErrorBodies.suspended(key: key.key, projectNumber: number))
        case .leaked: return (403, ErrorBodies.leaked)
        case .serviceDisabled: return (403, ErrorBodies.serviceDisabled(projectNumber: number))
        case .prepayDepleted: return (402, ErrorBodies.prepayDepleted)
        }
    }
}
#endif
