// snippet.hide
// The smallest offline program (README, Getting started): compiled by `swift build --traits Emulator`,
// run by scripts/check-snippets.sh.
#if Emulator
// snippet.show
import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider

let key = EmulatorKey(key: "demo-key-1", project: "demo-project")
try await GeminiEmulator.withEmulator(EmulatorConfiguration(keys: [key])) { emulator in
    try await CurlTransport.withTransport { transport in
        let gateway = try Gateway.builder()
            .keys(.entries([.init(secret: key.key, project: key.project)]))
            .transport(transport)
            .provider(.gemini(.init(baseURL: emulator.baseURL)))
            .build()
        let text = try await gateway.withClient(task: "hello") { client in
            try await client.generate("Say hello")
        }
        print(text)
    }
}
// snippet.hide
#endif
