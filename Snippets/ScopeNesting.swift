// snippet.hide
// Issue 15, item 2: every `with…` scope of the library nests with the others at top level (the
// main actor), inside an actor and in nonisolated code, in either order. Compiled in Swift 6
// mode by `swift build --traits Emulator`; `scripts/check-snippets.sh` runs it and it exits
// non-zero if a nesting answers wrongly.
#if Emulator
// snippet.show
import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider

let key = EmulatorKey(key: "nesting-key-1", project: "nesting-project")
let configuration = EmulatorConfiguration(keys: [key])

/// One call through a gateway on `transport` against `baseURL`.
func ask(_ transport: CurlTransport, _ baseURL: String, _ prompt: String) async throws -> String {
    let gateway = try Gateway.builder()
        .keys(.list([key.key]))
        .transport(transport)
        .provider(.gemini(.init(baseURL: baseURL)))
        .build()
    return try await gateway.withClient(task: "nesting") { try await $0.generate(prompt) }
}

// Top level (main actor): the emulator outside, the transport inside…
var answers: [String] = []
try await GeminiEmulator.withEmulator(configuration) { emulator in
    try await CurlTransport.withTransport { transport in
        answers.append(try await ask(transport, emulator.baseURL, "emulator outside"))
    }
}
// …and the other way round.
try await CurlTransport.withTransport { transport in
    try await GeminiEmulator.withEmulator(configuration) { emulator in
        answers.append(try await ask(transport, emulator.baseURL, "transport outside"))
    }
}

// Inside an actor: the closures run on the actor and may touch its state.
actor Collector {
    var answers: [String] = []
    func run() async throws {
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            try await CurlTransport.withTransport { transport in
                answers.append(try await ask(transport, emulator.baseURL, "in an actor"))
            }
        }
    }
}
let collector = Collector()
try await collector.run()
answers += await collector.answers

// Nonisolated code (a detached task).
answers.append(try await Task.detached {
    try await CurlTransport.withTransport { transport in
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            try await ask(transport, emulator.baseURL, "detached")
        }
    }
}.value)
// snippet.hide
let expected = ["emulator outside", "transport outside", "in an actor", "detached"]
guard answers.count == expected.count, zip(answers, expected).allSatisfy({ $0.contains($1) }) else {
    fatalError("ScopeNesting: unexpected answers \(answers)")
}
print("ScopeNesting: \(answers.count) nestings answered")
#endif
