// snippet.hide
// README, Record and replay: record one call against the emulator, then replay it with no
// server at all. Runs offline.
#if Emulator
import Foundation
// snippet.show
import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider
import MockTransport

let key = EmulatorKey(key: "record-key-0001", project: "p1")
let cassette = FileManager.default.temporaryDirectory.appending(path: "llmgateway-snippet.json.gz").path

// Record: real calls through a RecordingTransport.
let recorded = try await GeminiEmulator.withEmulator(EmulatorConfiguration(keys: [key])) { emulator in
    try await CurlTransport.withTransport { curl in
        let recorder = RecordingTransport(wrapping: curl, cassettePath: cassette, redacting: [key.key])
        let gateway = try Gateway.builder().keys([key.key]).transport(recorder)
            .provider(.gemini(.init(baseURL: emulator.baseURL))).build()
        let text = try await gateway.withClient(task: "t") { try await $0.generate("hello") }
        try recorder.save()            // gzip JSON; x-goog-api-key, Authorization, x-api-key and key= are never written
        return text
    }
}

// Replay: the same answers, no network; a request that was not recorded is a typed error.
let replay = try ReplayTransport(path: cassette, redacting: [key.key])
let gateway = try Gateway.builder().keys([key.key]).transport(replay).provider(.gemini()).build()
let replayed = try await gateway.withClient(task: "t") { try await $0.generate("hello") }
print(recorded == replayed)            // true
// snippet.hide
precondition(recorded == replayed, "RecordReplay: the replay differs from the recording")
#endif
