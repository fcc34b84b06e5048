import Foundation
import Synchronization

/// The AWS identities the API gives the topology's objects: the account id, and per object
/// (`kind/name`) its ID and creation time, made when the API first shows the object and kept
/// in `STATE/api-resources.json` so IDs and ARNs stay the same across daemon restarts.
public final class APIResourceRegistry: Sendable {
    struct Contents: Codable {
        var accountId: String
        var resources: [String: Resource]
    }

    /// One object's ID (the random part of its ID or ARN) and creation time.
    public struct Resource: Codable, Sendable, Equatable {
        public let id: String
        public let created: Date
    }

    /// The kinds of objects and the length of their random ID part.
    public enum Kind: String, Sendable {
        case vpc, subnet, instance, loadBalancer = "loadbalancer", targetGroup = "targetgroup", listener, rule
        case networkInterface = "eni", securityGroup = "sg", routeTable = "rtb", internetGateway = "igw"

        var length: Int {
            switch self {
            case .loadBalancer, .targetGroup, .listener, .rule: 16
            default: 17
            }
        }
    }

    let path: String
    private let contents: Mutex<Contents>

    public init(directory: StateDirectory) throws {
        path = "\(directory.path)/api-resources.json"
        var random = SystemRandomNumberGenerator()
        let stored = try AtomicFile.readJSON(Contents.self, from: path)
        contents = Mutex(stored ?? Contents(accountId: String((0..<12).map { _ in "0123456789".randomElement(using: &random)! }),
                                            resources: [:]))
    }

    public var accountId: String { contents.withLock { $0.accountId } }

    /// The object's identity, made (and recorded, before it is used) on first use.
    public func resource(_ kind: Kind, _ name: String) throws -> Resource {
        let key = "\(kind.rawValue)/\(name)"
        return try contents.withLock { contents in
            if let known = contents.resources[key] { return known }
            var random = SystemRandomNumberGenerator()
            let id = String((0..<kind.length).map { _ in "0123456789abcdef".randomElement(using: &random)! })
            let made = Resource(id: id, created: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
            var next = contents
            next.resources[key] = made
            try AtomicFile.writeJSON(next, to: path)
            contents = next
            return made
        }
    }
}
