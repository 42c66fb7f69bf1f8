#if PostgresSharedState
import GatewayCore
import HTTPTypes
import MockTransport
@testable import PostgresSharedState
import Testing

extension PostgresSuites {
    @Suite("The database stopped and started mid-run: calls go on, state reconciles")
    struct RestartTests {
        @Test("a gateway keeps answering through an outage; a key disabled meanwhile reaches the database after it")
        func outageAndReturn() async throws {
            let namespace = TestDatabase.unique("restart")
            let state = try await TestDatabase.connect(namespace: namespace, rate: RateLimit(requests: 50, per: .seconds(1), burst: 5),
                                                       ttl: .seconds(3), callTimeout: .milliseconds(500))
            let watcher = try await TestDatabase.connect(namespace: namespace)
            let keys = ["AQ.restart-secret-1-ZXCVBNMASDFG", "AQ.restart-secret-2-ZXCVBNMASDFG", "AQ.restart-secret-3-ZXCVBNMASDFG"]
            let mock = MockTransport()
            mock.setDefault(.status(401), when: .key(keys[2]))
            mock.setDefault(.text("ok"))
            let gateway = try Gateway.builder()
                .keys(keys)
                .sharedState(state)
                .transport(mock)
                .provider(EchoProvider())
                .build()
            func calls(_ count: Int, prefix: String) async throws -> [String] {
                try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<count {
                        group.addTask { try await gateway.withClient(task: TaskID("\(prefix)-\(index)")) { try await $0.send("q") } }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(try await calls(4, prefix: "before") == Array(repeating: "ok", count: 4))
            try TestDatabase.control("stop")
            var restarted = false
            defer { if !restarted { try? TestDatabase.control("start") } }
            // During the outage: every call answered from local state (the bad key found and disabled locally).
            let during = try await calls(6, prefix: "during")
            #expect(during == Array(repeating: "ok", count: 6))
            #expect(!state.isConnected)
            #expect(state.pendingWrites > 0 || gateway.snapshot().keys[2].health.isDisabled)
            try TestDatabase.control("start")
            restarted = true
            let reconciled = await TestDatabase.eventually(within: .seconds(20)) { state.isConnected && state.pendingWrites == 0 }
            #expect(reconciled)
            #expect(try await calls(4, prefix: "after") == Array(repeating: "ok", count: 4))
            let disabled = await TestDatabase.eventually(within: .seconds(10)) {
                let rows = (try? await TestDatabase.texts(watcher, """
                    SELECT label FROM llmgateway_key WHERE namespace = '\(namespace)' AND disabled_at IS NOT NULL
                    """)) ?? []
                return rows == ["#3"]
            }
            #expect(disabled)
            #expect(gateway.snapshot().totalLeases == 0)
            await state.shutdown()
            let leftover = try await TestDatabase.texts(watcher, "SELECT key_fp FROM llmgateway_lease WHERE namespace = '\(namespace)'")
            #expect(leftover.isEmpty)
            await watcher.shutdown()
        }
    }
}

/// The prompt as the body; 200 answers, 401 is an invalid key.
struct EchoProvider: Provider {
    func makeRequest(_ request: String, key: APIKey) throws -> TransportRequest {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-api-key")!] = key.revealSecret()
        let head = HTTPRequest(method: .post, scheme: "https", authority: "shared-state.invalid", path: "/ask", headerFields: fields)
        return TransportRequest(head: head, body: Array(request.utf8))
    }

    func parse(_ response: TransportResponse, for request: String) -> Result<String, Failure> {
        switch response.status {
        case 200: .success(String(decoding: response.body, as: UTF8.self))
        case 401: .failure(Failure(.invalidKey, status: 401))
        default: .failure(Failure(.serverError(status: response.status), status: response.status))
        }
    }
}
#endif
