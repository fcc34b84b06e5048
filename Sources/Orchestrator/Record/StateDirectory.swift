import Foundation
import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// The directory where lbnet keeps its records (default `/var/lib/lbnet`): the ownership
/// record, Elastic IP allocations, draining targets, the supervisor's children, logs, the
/// daemon's socket, lock and log, and a lock that serialises kernel work.
public struct StateDirectory: Sendable {
    public static let defaultPath = "/var/lib/lbnet"

    public let path: String

    public init(path: String = StateDirectory.defaultPath) { self.path = path }

    /// The directory as an absolute path (processes lbnet starts run in another working directory).
    public var absolutePath: String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    public var recordPath: String { "\(path)/record.json" }
    /// The children the process supervisor runs (spec, pid, start time), for adoption after a crash.
    public var supervisedProcessesPath: String { "\(path)/processes.json" }
    public var lockPath: String { "\(path)/lock" }
    /// Kept by `down`, like AWS allocations outlive the resources that use them.
    public var elasticIPsPath: String { "\(path)/elastic-ips.json" }
    public var logDirectory: String { "\(path)/logs" }
    public func logPath(process: String) -> String { "\(logDirectory)/\(process).log" }
    /// Where the directories standing in for access log buckets are; kept by `down`, as S3
    /// keeps the objects of a deleted load balancer.
    public var accessLogsPath: String { "\(absolutePath)/access-logs" }
    /// The directory standing in for `s3://BUCKET[/PREFIX]`.
    public func accessLogPath(_ location: AccessLogLocation) -> String { "\(accessLogsPath)/\(location.relativePath)" }
    public var daemonSocketPath: String { "\(path)/daemon.sock" }
    /// The daemon's read-only socket (mode 0666): the status report for any user.
    public var statusSocketPath: String { "\(path)/status.sock" }
    public var daemonLockPath: String { "\(path)/daemon.lock" }
    public var daemonLogPath: String { "\(path)/daemon.log" }

    /// Creates the directory (mode 0755, whatever the umask, so that any user reaches the
    /// status socket; what is secret in it is root-only by its own mode) and its log folder.
    public func create() throws {
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            chmod(path, 0o755)
        }
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
    }

    public func loadRecord() throws -> OwnershipRecord? {
        try AtomicFile.readJSON(OwnershipRecord.self, from: recordPath)
    }

    public func saveRecord(_ record: OwnershipRecord) throws {
        try AtomicFile.writeJSON(record, to: recordPath)
    }

    public func loadElasticIPs() throws -> ElasticIPRecord {
        try AtomicFile.readJSON(ElasticIPRecord.self, from: elasticIPsPath) ?? ElasticIPRecord()
    }

    public func saveElasticIPs(_ record: ElasticIPRecord) throws {
        try AtomicFile.writeJSON(record, to: elasticIPsPath)
    }

    public var drainingPath: String { "\(path)/draining.json" }

    public func loadDraining() throws -> [DrainingBackend] {
        try AtomicFile.readJSON([DrainingBackend].self, from: drainingPath) ?? []
    }

    public func saveDraining(_ draining: [DrainingBackend]) throws {
        try AtomicFile.writeJSON(draining, to: drainingPath)
    }

    /// Takes an exclusive `flock` on the directory's lock file for `body`: one `up`/`down` at a time.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        try create()
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError("opening \(lockPath)", errno: errno) }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw SystemError("locking \(lockPath)", errno: errno) }
        return try body()
    }

    /// Removes every file lbnet wrote here but the Elastic IP allocations and the access logs
    /// (the directory stays while those or files of others are in it).
    public func removeAll() {
        for file in [recordPath, supervisedProcessesPath, daemonLogPath, daemonLockPath, drainingPath, lockPath, statusSocketPath] {
            unlink(file)
        }
        try? FileManager.default.removeItem(atPath: logDirectory)
        rmdir(path)
    }
}
