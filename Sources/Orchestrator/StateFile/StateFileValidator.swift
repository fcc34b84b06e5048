/// Checks what a decoded state file means: names, references, address ranges and AWS's ELB rules.
///
/// Every check runs and reports; the result lists all issues found, not only the first.
struct StateFileValidator {
    let file: StateFile
    let index: StateFileIndex
    var collector: IssueCollector
    /// The load balancer each forwarded target group belongs to, filled in while checking listeners.
    var targetGroupUsers: [String: String] = [:]
    /// The file applied before this one, if any.
    let previous: StateFile?

    init(file: StateFile, source: String, lines: SourceLines = .none, previous: StateFile? = nil) {
        self.file = file
        self.previous = previous
        index = StateFileIndex(file)
        collector = IssueCollector(source: source, lines: lines)
    }

    /// All issues of the file, in file order.
    mutating func validate() -> [StateFileIssue] {
        validateNames()
        validateNetwork()
        validateElasticIps()
        validateAddresses()
        validateInstances()
        validateLoadBalancers()
        validateTargetGroups()
        validateNetworkAttributes()
        validateApplicationAttributes()
        validateDeletionProtection()
        validateEndpointServices()
        validateVPCEndpoints()
        validateSecurityGroups()
        validateQuotas()
        validateCertificates()
        return collector.issuesInFileOrder
    }

    mutating func report(_ message: String, at path: FieldPath) {
        collector.report(message, at: path)
    }

    // MARK: Helpers shared by the checks

    /// Reports `value` when it is outside `range`, naming the field as `what`.
    mutating func checkRange(_ value: Int, _ range: ClosedRange<Int>, _ what: String, at path: FieldPath) {
        if !range.contains(value) {
            report("\(what) \(value) is out of range \(range.lowerBound)-\(range.upperBound)", at: path)
        }
    }

    /// Reports a reference to a `kind` of object (e.g. "subnet") that nothing declares, with a near name if any.
    mutating func reportUnknown(_ kind: String, _ name: String, among known: some Sequence<String>, at path: FieldPath) {
        report("unknown \(kind) '\(name)'\(Suggestion.hint(for: name, among: known))", at: path)
    }

    mutating func checkPort(_ port: Int, at path: FieldPath) {
        checkRange(port, 1...65535, "port", at: path)
    }

    /// The subnet called `name`, reporting an unknown one at `path`.
    mutating func subnet(named name: String, at path: FieldPath) -> StateFileIndex.SubnetEntry? {
        if let entry = index.subnets[name] { return entry }
        reportUnknown("subnet", name, among: index.subnets.keys, at: path)
        return nil
    }

    /// The VPC called `name`, reporting an unknown one at `path`.
    mutating func vpc(named name: String, at path: FieldPath) -> StateFile.VPC? {
        if let position = index.vpcs[name] { return file.vpcs[position] }
        reportUnknown("VPC", name, among: index.vpcs.keys, at: path)
        return nil
    }

    /// The VPC a load balancer's subnets are in (that of its first known subnet).
    func vpcName(of loadBalancer: StateFile.LoadBalancer) -> String? {
        loadBalancer.subnetNames.lazy.compactMap { index.subnets[$0]?.vpc.name }.first
    }

    static func path(_ section: String, _ position: Int) -> FieldPath {
        FieldPath.root.key(section).index(position)
    }
}
