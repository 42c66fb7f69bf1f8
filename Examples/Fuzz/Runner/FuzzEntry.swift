#if canImport(Glibc)
import Glibc
#endif
import FuzzHarness

#if FUZZING
/// The process entry in a fuzzing build. SwiftPM links every executable with
/// `main = <module>_main`, so libFuzzer's own `main` is not used; this hands over to its driver.
@_cdecl("gemini_batch_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}

/// libFuzzer's callback, also linked in: its own `main` (pulled from the runtime) calls it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntry.target(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// libFuzzer's driver (compiler-rt, LLVM 11 and later).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The target named by `GEMINI_FUZZ_TARGET` (scripts/fuzz.sh sets it).
enum FuzzEntry {
    static let target: FuzzTargets.Target = {
        let name = getenv("GEMINI_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = FuzzTargets.named(name) else {
            fatalError("set GEMINI_FUZZ_TARGET to one of: \(FuzzTargets.all.map(\.name).joined(separator: ", "))")
        }
        return target
    }()
}
#else
/// Without libFuzzer: `gemini-batch-fuzz [count]` runs every target on the seeds and `count`
/// random mutations (default 1000) and prints the executions.
@main
enum FuzzSmoke {
    static func main() {
        let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000
        print("gemini-batch-fuzz smoke: \(FuzzTargets.smoke(count: count)) executions over \(FuzzTargets.all.count) targets, no crash")
    }
}
#endif
