import CNetlink
import Foundation
import Kernel

/// Copies a log file to a descriptor and, when following, keeps copying what is appended: it
/// waits on inotify for the file to change (no polling), starts over when the file is truncated,
/// and ends when the file is removed (as `lbnet down` does) or the process is interrupted.
/// Blocks the calling thread: for short-lived commands such as `lbnet logs`.
public struct LogFileFollower: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Copies the file to `output`; with `follow`, returns only once the file is removed.
    public func copy(to output: Int32, follow: Bool) throws(SystemError) {
        var watch: Int32 = -1
        if follow {
            // Watch before reading, so nothing appended between the two is missed.
            watch = inotify_init1(Int32(IN_CLOEXEC))
            guard watch >= 0 else { throw SystemError("watching \(path)", errno: errno) }
            guard inotify_add_watch(watch, path, UInt32(IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)) >= 0 else {
                let code = errno
                close(watch)
                throw SystemError("watching \(path)", errno: code)
            }
        }
        defer { if watch >= 0 { close(watch) } }
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { throw SystemError("opening \(path)", errno: errno) }
        defer { close(file) }
        try copyAvailable(from: file, to: output)
        guard follow else { return }
        var events = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = events.withUnsafeMutableBytes { read(watch, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError("watching \(path)", errno: errno)
            }
            try copyAvailable(from: file, to: output)
            var status = stat()
            guard fstat(file, &status) == 0 else { throw SystemError("reading \(path)", errno: errno) }
            if status.st_nlink == 0 { return }
        }
    }

    /// Copies from the file's offset to its end; starts from the top when it was truncated.
    private func copyAvailable(from file: Int32, to output: Int32) throws(SystemError) {
        var status = stat()
        if fstat(file, &status) == 0, status.st_size < lseek(file, 0, SEEK_CUR) {
            lseek(file, 0, SEEK_SET)
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError("reading \(path)", errno: errno)
            }
            let failure = buffer.withUnsafeBytes { bytes -> Int32 in
                var rest = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
                while !rest.isEmpty {
                    let written = write(output, rest.baseAddress, rest.count)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    rest = UnsafeRawBufferPointer(rebasing: rest[written...])
                }
                return 0
            }
            if failure != 0 { throw SystemError("writing the output", errno: failure) }
        }
    }
}
