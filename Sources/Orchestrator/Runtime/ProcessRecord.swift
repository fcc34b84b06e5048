import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One running child as the supervisor records it in `STATE/processes.json`, so that a new
/// supervisor (after the old one was killed) can tell its still-running children from an
/// unrelated process that got the same pid: the pid and the process's start time must both match.
struct ProcessRecord: Codable, Sendable, Equatable {
    let spec: ProcessSpec
    let pid: Int32
    /// Field 22 of `/proc/PID/stat`: clock ticks after boot when the process started.
    let startTime: UInt64

    /// The start time of process `pid`, `nil` when it does not exist.
    static func startTime(of pid: pid_t) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let commandEnd = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)" come the fields from 3 (state) on; the start time is field 22.
        let fields = stat[stat.index(after: commandEnd)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// The recorded children of `directory` that still run (same pid and start time), by name:
    /// what runs when no daemon does (after it was killed), for `plan` and `status`.
    static func runningChildren(in directory: StateDirectory) -> [String: SupervisedProcess] {
        let records = (try? AtomicFile.readJSON([ProcessRecord].self, from: directory.supervisedProcessesPath)) ?? []
        return Dictionary(records.filter { startTime(of: $0.pid) == $0.startTime }.map { ($0.spec.name, SupervisedProcess(spec: $0.spec, pid: $0.pid)) },
                          uniquingKeysWith: { first, _ in first })
    }
}
