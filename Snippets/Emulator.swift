// snippet.hide
// README, The Gemini emulator: a suspended key is disabled on its first answer, the other key
// serves the call, and the audit counts both. Runs offline.
#if Emulator
// snippet.show
import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider

let keys = [
    EmulatorKey(key: "emulator-key-0001", project: "p1", state: .suspended),
    EmulatorKey(key: "emulator-key-0002", project: "p1", state: .valid),
]
var faults = FaultPlan()
faults.unavailable = 0.05                                // 5 % of answers are 503s (seeded)
let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 15)], timeScale: 0.05, faults: faults)

try await GeminiEmulator.withEmulator(configuration) { emulator in
    try await CurlTransport.withTransport { transport in
        let gateway = try Gateway.builder()
            .keys(.entries(keys.map { KeySource.Entry(secret: $0.key, project: $0.project) }))
            .rateLimit(.tokenBucket(requests: 15, per: .seconds(3)))   // 15/min at time scale 0.05
            .transport(transport)
            .provider(.gemini(.init(baseURL: emulator.baseURL)))
            .build()
        print(try await gateway.withClient(task: "t") { try await $0.generate("hello") })
        print(gateway.snapshot())                        // the suspended key: disabled, with the reason
        print(emulator.audit().totalRequests)            // per key and per project, too
    }
}
// snippet.hide
#endif
