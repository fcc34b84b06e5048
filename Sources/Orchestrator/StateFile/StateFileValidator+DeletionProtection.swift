extension StateFileValidator {
    /// AWS's deletion protection: a load balancer of the file applied before whose
    /// `deletion_protection.enabled` is `true` cannot be deleted, so a file without it (or with
    /// one of that name and another type, which replaces it) is refused, naming it.
    mutating func validateDeletionProtection() {
        guard let previous else { return }
        for old in previous.loadBalancers where old.attributes[NetworkAttributeCatalog.deletionProtection] == "true" {
            guard let position = index.loadBalancers[old.name] else {
                report("OperationNotPermitted: Load balancer '\(old.name)' cannot be deleted because deletion protection "
                       + "is enabled; set \(NetworkAttributeCatalog.deletionProtection) to false first",
                       at: FieldPath.root.key("loadBalancers"))
                continue
            }
            let current = file.loadBalancers[position]
            if current.type != old.type {
                report("OperationNotPermitted: Load balancer '\(old.name)' cannot be replaced by a \(current.type.rawValue) "
                       + "one because deletion protection is enabled; set \(NetworkAttributeCatalog.deletionProtection) "
                       + "to false first", at: Self.path("loadBalancers", position).key("type"))
            }
        }
    }
}
