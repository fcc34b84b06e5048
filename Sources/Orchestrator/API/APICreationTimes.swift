import Foundation
import Synchronization

/// When the API first showed each load balancer (its `CreatedTime`), kept in
/// `STATE/api-created.json` so the time stays the same across daemon restarts.
final class APICreationTimes: Sendable {
    let path: String
    private let times: Mutex<[String: Date]>

    init(directory: StateDirectory) throws {
        path = "\(directory.path)/api-created.json"
        times = Mutex(try AtomicFile.readJSON([String: Date].self, from: path) ?? [:])
    }

    /// The recorded time of `key`, recording now (before answering with it) on first use.
    func created(_ key: String) throws -> Date {
        try times.withLock { times in
            if let known = times[key] { return known }
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            var next = times
            next[key] = now
            try AtomicFile.writeJSON(next, to: path)
            times = next
            return now
        }
    }
}
