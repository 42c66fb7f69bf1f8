import FuzzHarness
import Testing

@Suite("Fuzz targets: a short smoke run")
struct FuzzSmokeTests {
    @Test("every fuzz target takes its seeds, their prefixes and 300 mutations without trapping")
    func smoke() {
        let executions = FuzzTargets.smoke(count: 300)
        #expect(executions >= FuzzTargets.all.count * 300)
        #expect(Set(FuzzTargets.all.map(\.name)) == ["gemini-answer", "sse", "retry-delay", "emulator-request", "dotenv", "kit-text"])
    }
}
