/// Computes the changes that turn an observed IPVS table into a desired one. Only what differs
/// is emitted, so the work grows with the size of the change, not the size of the table.
public enum IPVSPlanner {
    /// Changes in the order the kernel can apply them one after the other: stale destinations
    /// are deleted, then stale services (taking their destinations with them), then services
    /// are added or updated, then destinations are added or updated in each desired service's
    /// order. Services and deleted destinations are ordered by identity, so equal inputs give
    /// equal plans. Tables that match give `[]`.
    public static func diff(desired: IPVSTable, observed: IPVSTable) -> [IPVSChange] {
        let observedByID = Dictionary(uniqueKeysWithValues: observed.destinations.map { ($0.key.id, $0) })
        let desiredByID = Dictionary(uniqueKeysWithValues: desired.destinations.map { ($0.key.id, $0.value) })
        var deletedDestinations: [IPVSChange] = []
        var deletedServices: [IPVSChange] = []
        var servicesToSet: [IPVSChange] = []
        var destinationsToSet: [IPVSChange] = []

        for service in observed.services {
            guard let desiredDestinations = desiredByID[service.id] else {
                deletedServices.append(.deleteService(service))
                continue
            }
            let wanted = Set(desiredDestinations.map(\.id))
            for destination in (observed[service] ?? []).sorted(by: { $0.id < $1.id }) where !wanted.contains(destination.id) {
                deletedDestinations.append(.deleteDestination(destination, service: service))
            }
        }

        for service in desired.services {
            let current = observedByID[service.id]
            if let current {
                if current.key != service { servicesToSet.append(.updateService(service)) }
            } else {
                servicesToSet.append(.addService(service))
            }
            let currentDestinations = Dictionary(uniqueKeysWithValues: (current?.value ?? []).map { ($0.id, $0) })
            for destination in desired[service] ?? [] {
                if let existing = currentDestinations[destination.id] {
                    if existing != destination { destinationsToSet.append(.updateDestination(destination, service: service)) }
                } else {
                    destinationsToSet.append(.addDestination(destination, service: service))
                }
            }
        }
        return deletedDestinations + deletedServices + servicesToSet + destinationsToSet
    }
}
