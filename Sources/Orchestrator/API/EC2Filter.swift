import AWSAPI

/// EC2's `Filter.N.Name` / `Filter.N.Value.M`: an object passes when, for every filter, one of
/// its values for the filter's name is among the filter's values (`*` and `?` as wildcards).
/// A filter name a call does not know is refused, as EC2 does.
struct EC2Filter {
    let name: String
    let values: [String]

    static func of(_ parameters: QueryParameters, known: Set<String>) throws(APIError) -> [EC2Filter] {
        try parameters.structures("Filter.").map { filter throws(APIError) in
            let name = filter["Name"] ?? ""
            guard known.contains(name) || (name.hasPrefix("tag:") && known.contains("tag:")) else {
                throw APIError("InvalidParameterValue", "The filter '\(name)' is invalid")
            }
            return EC2Filter(name: name, values: filter.ec2List("Value"))
        }
    }

    /// Whether every filter passes for an object whose values per filter name are `fields`.
    static func matches(_ filters: [EC2Filter], _ fields: [String: [String]]) -> Bool {
        filters.allSatisfy { filter in
            (fields[filter.name] ?? []).contains { value in filter.values.contains { Self.match($0, value) } }
        }
    }

    static func match(_ pattern: String, _ value: String) -> Bool {
        let p = Array(pattern), v = Array(value)
        func matches(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == v.count }
            if p[i] == "*" { return (j...v.count).contains { matches(i + 1, $0) } }
            return j < v.count && (p[i] == "?" || p[i] == v[j]) && matches(i + 1, j + 1)
        }
        return matches(0, 0)
    }
}
