import AWSAPI
import Foundation

/// The state directory's API key pair, `STATE/api-credentials.json` (mode 0600: root's alone).
/// Created once, at the daemon's first start or the first `lbnet credentials`, and kept by
/// `down`, so scripts keep working across topologies.
public struct APICredentialStore: Sendable {
    public let directory: StateDirectory

    public init(directory: StateDirectory) { self.directory = directory }

    public var path: String { "\(directory.path)/api-credentials.json" }

    /// The stored pair, or a new one, stored first.
    public func loadOrCreate() throws -> APICredentials {
        if let stored = try AtomicFile.readJSON(APICredentials.self, from: path) { return stored }
        try directory.create()
        let created = APICredentials.generate()
        try AtomicFile.writeJSON(created, to: path, mode: 0o600)
        return created
    }
}
