import Kernel

/// The security groups of each network interface as `lbnet status` shows them: the groups,
/// the new flows each group's rules let in (packets counted by their rules), the packets of new
/// flows dropped in and out (counted by the chains' last rule), and whether the kernel's table
/// is the one the groups make.
public struct SecurityGroupStatusRow: Codable, Sendable, Equatable {
    public let interface: String
    public let groups: [String]
    /// Packets of new inbound flows accepted by each group's rules, by group.
    public let allowedInbound: [String: UInt64]
    public let droppedInbound: UInt64
    public let droppedOutbound: UInt64
    /// `in sync`, `out of sync (run up)`, `missing` or `unreadable: ...`.
    public let kernel: String
}

extension SecurityGroupStatusRow {
    /// One row per interface with security groups, read from the kernel.
    static func rows(_ planned: DeploymentPlan, session: KernelSession) -> [SecurityGroupStatusRow] {
        planned.fabric.securityGroups.map { interface in
            var counters: [NFTRuleCounter]?
            var kernel = "missing"
            if NetworkNamespace.exists(interface.namespace) {
                do {
                    counters = try NFTablesNetlink(socket: session.netfilter(in: interface.namespace)).ruleCounters(table: SecurityGroupTable.name)
                    let differs = planned.changes.contains { change in
                        if case .nftables(let step) = change { step.namespace == interface.namespace && step.table == SecurityGroupTable.name } else { false }
                    }
                    kernel = differs ? "out of sync (run up)" : "in sync"
                } catch {
                    kernel = "unreadable: \(error)"
                }
            }
            func dropped(_ chain: String) -> UInt64 {
                counters?.first { $0.chain == chain && $0.isRule(purpose: SecurityGroupTable.droppedPurpose) }?.packets ?? 0
            }
            var allowed: [String: UInt64] = [:]
            for group in interface.groups {
                allowed[group] = counters?.filter { $0.chain == "ingress" && $0.isRule(purposePrefix: "ingress \(group) ") }
                    .reduce(0) { $0 + $1.packets } ?? 0
            }
            return SecurityGroupStatusRow(interface: interface.host, groups: interface.groups, allowedInbound: allowed,
                                          droppedInbound: dropped("ingress"), droppedOutbound: dropped("egress"),
                                          kernel: kernel)
        }
    }

    /// `INTERFACE  SECURITY GROUPS  ALLOWED IN (PACKETS)  DROPPED IN  DROPPED OUT  KERNEL`.
    static func render(_ rows: [SecurityGroupStatusRow]) -> String {
        var table = TextTable(["INTERFACE", "SECURITY GROUPS", "ALLOWED IN (PACKETS)", "DROPPED IN", "DROPPED OUT", "KERNEL"])
        for row in rows {
            table.add([row.interface, row.groups.joined(separator: ", "),
                       row.groups.map { "\($0) \(row.allowedInbound[$0] ?? 0)" }.joined(separator: ", "),
                       String(row.droppedInbound), String(row.droppedOutbound), row.kernel])
        }
        return table.render()
    }
}
