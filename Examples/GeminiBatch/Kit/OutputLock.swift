import Foundation

/// One run per output folder: an advisory `flock` on `<output>/.gemini-batch.lock`, held for
/// the life of this value (the kernel drops it when the process ends, however it ends). The
/// holder's PID is written into the file so a second run can name it.
public final class OutputLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock of `folder` (which must exist), or fails at once.
    /// - Throws: ``BatchError/outputFolder(_:)`` naming the holder's PID when another run holds it.
    public init(folder: URL) throws(BatchError) {
        let path = folder.appendingPathComponent(OutputNames.lockName).path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .outputFolder("cannot open the lock \(Printable.path(path)): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readPID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK {
                throw .outputFolder(
                    "\(Printable.path(folder.path)) is in use by another gemini-batch run (PID \(holder.map(String.init) ?? "unknown")); "
                        + "wait for it to end, or choose another output folder")
            }
            throw .outputFolder("cannot lock \(Printable.path(path)): \(String(cString: strerror(code)))")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }   // closing the descriptor releases the lock

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
