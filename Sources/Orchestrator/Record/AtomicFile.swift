import Foundation
import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that a reader (or the next run after a crash) sees either the old or the new
/// contents, never a torn one: write a temporary file, fsync it, rename it over the target,
/// fsync the directory.
enum AtomicFile {
    /// Writes `data` to `path` with `mode` (0600 for what only root may read; never wider than
    /// asked, whatever the umask).
    static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(path).tmp-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SystemError("creating \(temporary)", errno: errno) }
        fchmod(fd, mode)
        var failure: SystemError?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = SystemError("writing \(temporary)", errno: errno)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = SystemError("fsync \(temporary)", errno: errno) }
        close(fd)
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SystemError("renaming \(temporary) to \(path)", errno: code)
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    static func writeJSON(_ value: some Encodable, to path: String, mode: mode_t = 0o644) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(encoder.encode(value), to: path, mode: mode)
    }

    /// The decoded file, or `nil` when it does not exist.
    static func readJSON<T: Decodable>(_ type: T.Type, from path: String) throws -> T? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw RecordError.unreadable(path: path, reason: String(describing: error))
        }
    }
}

/// A recorded-state file that exists but cannot be used.
public enum RecordError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case prefixMismatch(path: String, recorded: String, requested: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path) is not a valid lbnet record: \(reason)"
        case .prefixMismatch(let path, let recorded, let requested):
            "\(path) belongs to the topology with prefix '\(recorded)', not '\(requested)': use another --state-dir"
        }
    }
}
