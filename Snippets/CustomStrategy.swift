// snippet.hide
// README, Configuration: a key strategy of your own. Runs offline on the mock transport.
// snippet.show
import GatewayCore
import GeminiProvider
import MockTransport

/// Always the key with the fewest failures so far; ties go to the lower key number.
struct FewestFailures: KeyStrategy {
    func choose(for task: TaskID, from candidates: KeyCandidates) -> KeyCandidate {
        candidates.min { ($0.failures, $0.id) < ($1.failures, $1.id) }!
    }
}

let mock = MockTransport()
mock.setDefault(.geminiText("hello"))
let gateway = try Gateway.builder()
    .keys(["strategy-key-a-0001", "strategy-key-b-0002"])
    .keyProvider(.strategy(FewestFailures()))
    .transport(mock)
    .provider(.gemini())
    .build()
print(try await gateway.withClient(task: "t") { try await $0.generate("hi") })
// snippet.hide
precondition(mock.requestCount == 1, "CustomStrategy: one request expected")
