extension StateFileValidator {
    /// The `access_logs.s3.*` attributes of a load balancer (``AccessLogAttributeRules``), each
    /// problem reported at its attribute.
    mutating func checkAccessLogAttributes(of loadBalancer: StateFile.LoadBalancer, at path: FieldPath) {
        let problems = AccessLogAttributeRules.problems(attributes: loadBalancer.attributes,
                                                        isApplication: loadBalancer.type == .application)
        for problem in problems {
            report(problem.message, at: path.key("attributes").key(problem.key))
        }
    }
}
