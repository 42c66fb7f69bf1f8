import Foundation
import GeminiBatchKit
import Testing

@Suite("One run per output folder")
struct OutputLockTests {
    @Test("a second lock on the same folder fails at once naming the holder's PID; released, it can be taken again")
    func exclusive() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var first: OutputLock? = try OutputLock(folder: folder)
        do {
            _ = try OutputLock(folder: folder)
            Issue.record("a second lock was granted")
        } catch {
            #expect("\(error)".contains("PID \(getpid())"))
        }
        withExtendedLifetime(first) {}
        first = nil
        #expect(throws: Never.self) { _ = try OutputLock(folder: folder) }
    }
}
