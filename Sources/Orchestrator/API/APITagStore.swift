import AWSAPI
import Foundation
import Synchronization

/// The tags clients put on resources, by resource ID (EC2) or ARN (ELBv2), kept in
/// `STATE/api-tags.json` (root-only, written atomically) so they survive daemon restarts.
/// A resource's tags go when the resource leaves the desired state (``retain(_:)``), so one
/// deleted and made again (IDs derive from names) starts without tags.
final class APITagStore: Sendable {
    let path: String
    private let tags: Mutex<[String: [String: String]]>

    convenience init(directory: StateDirectory) throws {
        try self.init(path: "\(directory.path)/api-tags.json")
    }

    init(path: String) throws {
        self.path = path
        tags = Mutex(try AtomicFile.readJSON([String: [String: String]].self, from: path) ?? [:])
    }

    func tags(of resource: String) -> ResourceTags { ResourceTags(tags.withLock { $0[resource] } ?? [:]) }

    /// Adds `added` to every resource of `resources` (a key already there takes the new value);
    /// refuses, changing nothing, when one would hold more than 50 tags.
    func add(_ added: ResourceTags, to resources: [String], service: ResourceTags.Service) throws(APIError) {
        try change { all throws(APIError) in
            for resource in resources {
                let next = ResourceTags(all[resource] ?? [:]).merging(added)
                guard next.pairs.count <= ResourceTags.maximumPerResource else { throw ResourceTags.tooMany(service) }
                all[resource] = next.isEmpty ? nil : next.pairs
            }
        }
    }

    /// Removes from each of `resources` the tags `matches` accepts (key, value).
    func remove(from resources: [String], where matches: (String, String) -> Bool) throws(APIError) {
        try change { all in
            for resource in resources {
                let kept = (all[resource] ?? [:]).filter { !matches($0.key, $0.value) }
                all[resource] = kept.isEmpty ? nil : kept
            }
        }
    }

    /// Drops the tags of every resource `live` does not return; `live` runs under the store's
    /// lock, so a resource created and tagged meanwhile is among them.
    func retain(_ live: () -> Set<String>?) throws(APIError) {
        try change { all in
            guard let keep = live() else { return }
            all = all.filter { keep.contains($0.key) }
        }
    }

    private func change(_ edit: (inout [String: [String: String]]) throws(APIError) -> Void) throws(APIError) {
        let result: Result<Void, APIError> = tags.withLock { all in
            var next = all
            do throws(APIError) { try edit(&next) } catch { return .failure(error) }
            guard next != all else { return .success(()) }
            do { try AtomicFile.writeJSON(next, to: path, mode: 0o600) } catch {
                return .failure(.internalFailure("lbnet could not record the tags in \(path): \(error)"))
            }
            all = next
            return .success(())
        }
        try result.get()
    }
}
