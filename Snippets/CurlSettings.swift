// snippet.hide
// README, The curl transport. scripts/check-snippets.sh runs it against a gemini-emulator
// through GEMINI_API_KEY_1 and GEMINI_BASE_URL.
// snippet.show
import CurlTransport
import GatewayCore
import GeminiProvider

let settings = CurlConfiguration(
    connectTimeout: .seconds(10),      // default 10 s (curl's own is 300 s)
    totalTimeout: nil,                 // per request: TransportRequest.timeout, set by the gateway's attemptTimeout
    idleTimeout: .seconds(60),         // < 1 byte/s for this long aborts a stream
    maxResponseBytes: 64 << 20,        // typed responseTooLarge past this
    streamHighWater: 1 << 20           // a slow stream reader pauses the transfer here
)
try await CurlTransport.withTransport(configuration: settings) { transport in
    let gateway = try Gateway.builder().keys(.environment()).transport(transport).provider(.gemini()).build()
    print(try await gateway.withClient(task: "t") { try await $0.generate("hello") })
    print(transport.statistics)        // bytes, connections opened, HTTP/2 exchanges
}
