import Foundation
import L7Proxy

extension Planner {
    /// Configuration files of ALB nodes that are new or differ (byte for byte, so a file edited
    /// by hand is written again), and files of nodes that are gone.
    static func proxyConfigurationChanges(desired: FabricSpec, observed: KernelSnapshot) -> [Change] {
        var changes: [Change] = []
        for spec in desired.proxyConfigurations {
            guard let existing = observed.proxyConfigurations[spec.node] else {
                changes.append(.writeProxyConfiguration(ProxyConfigurationWrite(node: spec.node, path: spec.path, data: spec.data,
                                                                                changedAspects: nil)))
                continue
            }
            guard existing != spec.data else { continue }
            let aspects = (try? ProxyConfiguration.decode(existing, source: spec.path))
                .map { ProxyConfigurationDiff.aspects(from: $0, to: spec.configuration) } ?? ["unreadable file replaced"]
            // Same configuration in other bytes: the file was edited by hand.
            let named = aspects.isEmpty ? ["file rewritten"] : aspects
            changes.append(.writeProxyConfiguration(ProxyConfigurationWrite(node: spec.node, path: spec.path, data: spec.data,
                                                                            changedAspects: named)))
        }
        let wanted = Dictionary(desired.proxyConfigurations.map { ($0.node, $0.path) }, uniquingKeysWith: { first, _ in first })
        for node in observed.proxyConfigurations.keys.sorted() where wanted[node] == nil {
            changes.append(.removeProxyConfiguration(node: node))
        }
        return changes
    }
}
