// snippet.hide
// README, Shared state across processes. scripts/check-snippets.sh compiles it with the
// PostgresSharedState trait; it is not run (it needs a database: the tests run against one).
#if PostgresSharedState
import CurlTransport
import GatewayCore
import GeminiProvider
import PostgresSharedState

func sharedStateExample(transport: CurlTransport) async throws {
// snippet.show
let shared = try await PostgresSharedState.connect(.init(url: "postgres://gateway@db.internal:5432/gateway"))
let gateway = try Gateway.builder()
    .keys(.environment(prefix: "GEMINI_API_KEY_"))
    .sharedState(shared)   // keys, key health and pace shared by every process on this database
    .transport(transport).provider(.gemini()).build()
// snippet.hide
    _ = gateway
    await shared.shutdown()
}
#endif
