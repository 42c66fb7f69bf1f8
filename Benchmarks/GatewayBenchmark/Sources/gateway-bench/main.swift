// gateway-bench: the figures ordo-one/benchmark does not take well — lease cost as the pool
// grows, resident memory at 10,000 tasks, limiter exactness on virtual and real time, and quota
// efficiency end to end over curl against the emulator. Prints one JSON object per figure.
//
//   gateway-bench [throughput] [scale] [memory] [limiter] [e2e] [openai-e2e]      (default: all)
import Foundation

let all = ["throughput", "scale", "memory", "limiter", "e2e", "openai-e2e"]
let chosen = CommandLine.arguments.dropFirst().isEmpty ? all : Array(CommandLine.arguments.dropFirst())

func report(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

for name in chosen {
    switch name {
    case "throughput": try await ThroughputBenchmark.run(report)
    case "scale": ScaleBenchmark.run(report)
    case "memory", "memory-bare", "memory-scope", "memory-plain", "memory-child":
        // Peak RSS only grows: run each variant in a process of its own for a clean figure.
        try await MemoryBenchmark.run(report, variant: MemoryBenchmark.Variant(rawValue: name)!)
    case "limiter": try await LimiterBenchmark.run(report)
    case "e2e": try await EndToEndBenchmark.run(report)
    case "openai-e2e": try await OpenAIEndToEndBenchmark.run(report)
    default:
        FileHandle.standardError.write(Data("unknown benchmark \(name); choose from \(all)\n".utf8))
        exit(64)
    }
}
