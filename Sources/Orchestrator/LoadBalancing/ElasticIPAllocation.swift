import Foundation
import Kernel

/// One Elastic IP: its name in the state file, AWS-style allocation id and public address.
public struct ElasticIPAllocation: Codable, Sendable, Hashable {
    public let name: String
    public let allocationId: String
    public let address: IPv4Address

    public init(name: String, allocationId: String, address: IPv4Address) {
        self.name = name
        self.allocationId = allocationId
        self.address = address
    }
}

extension IPv4Address: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = IPv4Address(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an IPv4 address: \(text)"))
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Every Elastic IP lbnet allocated for a state directory. Like AWS allocations they outlive the
/// load balancers that use them: `down` keeps this record, so `up` after `down` gets the same
/// addresses and ids.
public struct ElasticIPRecord: Codable, Sendable, Equatable {
    public var allocations: [String: ElasticIPAllocation]

    public init(allocations: [String: ElasticIPAllocation] = [:]) { self.allocations = allocations }
}

/// Gives each wanted Elastic IP an address from the pool (or the one the file fixes) and an
/// `eipalloc-` id, keeping every earlier allocation as it was.
public enum ElasticIPAllocator {
    /// A wanted allocation: its name and, if the file fixes it, its address.
    public struct Request: Sendable, Equatable {
        public let name: String
        public let address: IPv4Address?

        public init(name: String, address: IPv4Address? = nil) {
            self.name = name
            self.address = address
        }
    }

    /// Addresses below this offset of the pool are not handed out (kept for the pool's gateway side).
    static let firstOffset = 10

    public static func allocate(_ requests: [Request], pool: IPv4Network, record: ElasticIPRecord,
                                newID: () -> String = randomAllocationID) throws -> ElasticIPRecord {
        var result = record
        let fixed = Dictionary(requests.compactMap { r in r.address.map { ($0, r.name) } }, uniquingKeysWith: { a, _ in a })
        for request in requests {
            if let existing = result.allocations[request.name], request.address == nil || request.address == existing.address,
               pool.contains(existing.address), fixed[existing.address] == nil || fixed[existing.address] == request.name {
                continue
            }
            let taken = Set(result.allocations.values.filter { $0.name != request.name }.map(\.address)).union(fixed.keys)
            let address: IPv4Address
            if let wanted = request.address {
                address = wanted
            } else {
                guard let free = (firstOffset..<Int(pool.size) - 1).lazy.map({ pool.address(at: $0) }).first(where: { !taken.contains($0) }) else {
                    throw ElasticIPError.poolExhausted(pool: pool, name: request.name)
                }
                address = free
            }
            // An allocation whose address a fixed request takes over moves elsewhere.
            if let holder = result.allocations.values.first(where: { $0.address == address && $0.name != request.name }) {
                result.allocations[holder.name] = nil
            }
            let id = result.allocations[request.name]?.allocationId ?? apiAllocationID(request.name) ?? newID()
            result.allocations[request.name] = ElasticIPAllocation(name: request.name, allocationId: id, address: address)
        }
        return result
    }

    /// An Elastic IP the AWS API allocated is named `eip-` and 17 hex digits (state file names
    /// have at most 24 characters); its allocation ID carries the same digits.
    static func apiAllocationID(_ name: String) -> String? {
        name.hasPrefix("eip-") && name.count == 21 && name.dropFirst(4).allSatisfy(\.isHexDigit) ? "eipalloc-" + name.dropFirst(4) : nil
    }

    public static func randomAllocationID() -> String {
        "eipalloc-" + (0..<17).map { _ in String("0123456789abcdef".randomElement()!) }.joined()
    }
}

/// The pool has no address left.
public enum ElasticIPError: Error, CustomStringConvertible {
    case poolExhausted(pool: IPv4Network, name: String)

    public var description: String {
        switch self {
        case .poolExhausted(let pool, let name): "elasticIps: no address left in the pool \(pool) for '\(name)'"
        }
    }
}
