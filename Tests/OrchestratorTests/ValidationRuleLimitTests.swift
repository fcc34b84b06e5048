@testable import Orchestrator
import AWSAPI
import Testing

/// AWS's limits on ALB rule conditions, redirects and fixed responses (ListenerRuleLimits):
/// each at its limit accepted, one past it refused with the field path.
@Suite struct ValidationRuleLimitTests {
    static let rules = "loadBalancers[0].listeners[0].rules"
    static let defaultAction = "loadBalancers[0].listeners[0].defaultActions[0]"

    /// The issues of a file whose one rule has `conditions` (YAML flow items, one a line).
    func ruleIssues(_ conditions: [String]) -> [String] {
        issues(rule: conditions.map { "                  - \($0)" }.joined(separator: "\n"))
    }

    /// The issues of a file whose listener's default action is `action` (a YAML flow mapping).
    func defaultActionIssues(_ action: String) -> [String] {
        issues(defaultAction: action)
    }

    private func issues(rule: String? = nil, defaultAction: String = "{type: forward, targetGroupName: web}") -> [String] {
        let rules = rule.map {
            """

                    rules:
                      - priority: 1
                        actions: [{type: forward, targetGroupName: web}]
                        conditions:
            \($0)
            """
        } ?? ""
        let yaml = network + """
            loadBalancers:
              - name: web-alb
                type: application
                subnets: [subnet-1a, subnet-1b]
                listeners:
                  - protocol: HTTP
                    port: 80
                    defaultActions: [\(defaultAction)]\(rules)
            targetGroups:
              - {name: web, protocol: HTTP, port: 8080, vpc: main}

            """
        // Drop the "state.yaml:LINE: " prefix: these tests name fields, not lines.
        return issueDescriptions(yaml).map { String($0.drop { $0 != " " }.dropFirst()) }
    }

    @Test func conditionValuesPerRule() {
        let five = ["{field: host-header, values: [a.example.com, b.example.com]}", "{field: path-pattern, values: [/a, /b, /c]}"]
        #expect(ruleIssues(five) == [])
        let six = five + ["{field: http-request-method, values: [GET]}"]
        #expect(ruleIssues(six) == ["\(Self.rules)[0].conditions: a rule can only have 5 condition values, got 6"])
        let spread = (1...6).map { "{field: http-header, httpHeaderName: X-\($0), values: [v]}" }
        #expect(ruleIssues(spread) == ["\(Self.rules)[0].conditions: a rule can only have 5 condition values, got 6"])
    }

    @Test func wildcardsPerRule() {
        let five = ["{field: host-header, values: ['*.example.com']}", "{field: path-pattern, values: ['/*/*/?/?']}",
                    #"{field: query-string, values: [{key: 'k\*', value: 'v\?'}]}"#]
        #expect(ruleIssues(five) == [], "escaped query-string wildcards are literal characters")
        let six = ["{field: host-header, values: ['*.example.com']}", "{field: path-pattern, values: ['/*/*/?/?']}",
                   "{field: query-string, values: [{key: 'k*', value: v}]}"]
        #expect(ruleIssues(six) == ["\(Self.rules)[0].conditions: a rule can only have 5 wildcards (* and ?) in its conditions, got 6"])
    }

    @Test func valueLengths() {
        let host = String(repeating: "a", count: 124) + ".com"
        let path = "/" + String(repeating: "p", count: 127)
        let text = String(repeating: "t", count: 128)
        let atLimit = ["{field: host-header, values: [\(host)]}", "{field: path-pattern, values: ['\(path)']}",
                       "{field: http-header, httpHeaderName: X-A, values: [\(text)]}",
                       "{field: query-string, values: [{key: \(text), value: \(text)}]}"]
        #expect(ruleIssues(atLimit) == [])
        let pastLimit = ["{field: host-header, values: [a\(host)]}", "{field: path-pattern, values: ['\(path)p']}",
                         "{field: http-header, httpHeaderName: X-A, values: [\(text)t]}",
                         "{field: query-string, values: [{key: \(text)k, value: \(text)v}]}"]
        let found = ruleIssues(pastLimit)
        for field in ["conditions[0].values[0]", "conditions[1].values[0]", "conditions[2].values[0]",
                      "conditions[3].values[0].key", "conditions[3].values[0].value"] {
            #expect(found.contains { $0.hasPrefix("\(Self.rules)[0].\(field): ") && $0.hasSuffix("129 characters long; the limit is 128") },
                    "\(field): \(found)")
        }
        #expect(found.count == 5, "\(found)")
    }

    @Test func hostNamesFollowAWSCharacterRules() {
        #expect(ruleIssues(["{field: host-header, values: [api_v2.example.com, '*.EXAMPLE.org', 'a?.b-c.io']}"]) == [])
        #expect(ruleIssues(["{field: host-header, values: [localhost, 'api.example.com:8080', api.example.c0m]}"]) == [
            "\(Self.rules)[0].conditions[0].values[0]: 'localhost' needs at least one '.'",
            "\(Self.rules)[0].conditions[0].values[1]: 'api.example.com:8080' has ':'; "
                + "a host name takes A-Z, a-z, 0-9, '-', '_', '.' and the wildcards * and ?",
            "\(Self.rules)[0].conditions[0].values[2]: 'api.example.c0m' may have only letters after its last '.'",
        ])
    }

    @Test func pathPatternsFollowAWSCharacterRules() {
        #expect(ruleIssues([#"{field: path-pattern, values: ['/a_b-c.d$e/~"f''g@h:i+j&k*?']}"#]) == [])
        let found = ruleIssues(["{field: path-pattern, values: ['/a b', '/a%20b']}"])
        #expect(found.count == 2 && found.allSatisfy { $0.contains("a path pattern takes") }, "\(found)")
    }

    @Test func headerNamesAndValues() {
        let forty = "X-" + String(repeating: "h", count: 38)
        #expect(ruleIssues(["{field: http-header, httpHeaderName: \(forty), values: ['a b']}"]) == [])
        #expect(ruleIssues([
            "{field: http-header, httpHeaderName: \(forty)h, values: [v]}",
            "{field: http-header, httpHeaderName: HOST, values: [v]}",
            "{field: http-header, httpHeaderName: 'X Bad', values: [v]}",
            "{field: http-header, httpHeaderName: X-Ctl, values: [\"a\\u0001b\"]}",
        ]) == [
            "\(Self.rules)[0].conditions[0].httpHeaderName: '\(forty)h' is 41 characters long; the limit is 40",
            "\(Self.rules)[0].conditions[1].httpHeaderName: an http-header condition can't match the Host header; use a host-header condition",
            "\(Self.rules)[0].conditions[2].httpHeaderName: 'X Bad' is not an HTTP header name (an RFC 7230 token)",
            "\(Self.rules)[0].conditions[3].values[0]: 'a\\u{01}b' has a control character; rules apply to visible ASCII characters only",
        ])
    }

    @Test func methodNames() {
        let forty = String(repeating: "M", count: 38) + "-_"
        #expect(ruleIssues(["{field: http-request-method, values: [\(forty), CUSTOM]}"]) == [])
        #expect(ruleIssues(["{field: http-request-method, values: [M\(forty), Get]}"]) == [
            "\(Self.rules)[0].conditions[0].values[0]: 'M\(forty)' is not an HTTP method name like GET (A-Z, '_' and '-', at most 40)",
            "\(Self.rules)[0].conditions[0].values[1]: 'Get' is not an HTTP method name like GET (A-Z, '_' and '-', at most 40)",
        ])
    }

    @Test func emptyValuesAreRefused() {
        #expect(ruleIssues(["{field: path-pattern, values: ['']}", "{field: query-string, values: [{key: '', value: ''}]}"]) == [
            "\(Self.rules)[0].conditions[0].values[0]: a condition value can't be empty",
            "\(Self.rules)[0].conditions[1].values[0].key: a query-string key can't be empty (leave it out instead)",
            "\(Self.rules)[0].conditions[1].values[0].value: a condition value can't be empty",
        ])
    }

    @Test func redirectComponentLengths() {
        let host = String(repeating: "h", count: 128), path = "/" + String(repeating: "p", count: 127)
        let query = String(repeating: "q", count: 128)
        func redirect(_ host: String, _ path: String, _ query: String, port: String = "#{port}") -> String {
            "{type: redirect, redirectConfig: {host: '\(host)', path: '\(path)', query: '\(query)', port: '\(port)', statusCode: HTTP_301}}"
        }
        #expect(defaultActionIssues(redirect(host, path, query, port: "65535")) == [])
        #expect(defaultActionIssues(redirect(host + "h", path + "p", query + "q", port: "65536")) == [
            "\(Self.defaultAction).redirectConfig.port: '65536' is neither a port number from 1 to 65535 nor #{port}",
            "\(Self.defaultAction).redirectConfig.host: is 129 characters long; it takes 1 to 128",
            "\(Self.defaultAction).redirectConfig.path: is 129 characters long; it takes 1 to 128",
            "\(Self.defaultAction).redirectConfig.query: is 129 characters long; it takes 0 to 128",
        ])
        #expect(defaultActionIssues(redirect("", path, "")) == [
            "\(Self.defaultAction).redirectConfig.host: is 0 characters long; it takes 1 to 128",
        ])
    }

    @Test func redirectPlaceholdersBelongToTheirComponent() {
        let good = "{type: redirect, redirectConfig: {host: 'www.#{host}', path: '/#{host}/#{port}/#{path}', "
            + "query: '#{protocol}&#{host}&#{port}&#{path}&#{query}', statusCode: HTTP_302}}"
        #expect(defaultActionIssues(good) == [])
        let bad = "{type: redirect, redirectConfig: {host: '#{path}.example.com', path: '/#{query}', query: '#{fragment}', statusCode: HTTP_302}}"
        #expect(defaultActionIssues(bad) == [
            "\(Self.defaultAction).redirectConfig.host: #{path} can't be used here; the host takes #{host}",
            "\(Self.defaultAction).redirectConfig.path: #{query} can't be used here; the path takes #{host}, #{path}, #{port}",
            "\(Self.defaultAction).redirectConfig.query: #{fragment} can't be used here; "
                + "the query takes #{host}, #{path}, #{port}, #{protocol}, #{query}",
        ])
    }

    @Test func aRedirectToItselfIsALoop() {
        let loop = "InvalidLoadBalancerAction: The redirect configuration is not valid because it creates a loop."
        #expect(defaultActionIssues("{type: redirect, redirectConfig: {statusCode: HTTP_301}}") == ["\(Self.defaultAction).redirectConfig: \(loop)"])
        #expect(defaultActionIssues(
            "{type: redirect, redirectConfig: {protocol: '#{protocol}', host: '#{host}', port: '#{port}', path: '/#{path}', query: 'a=1', statusCode: HTTP_301}}"
        ) == ["\(Self.defaultAction).redirectConfig: \(loop)"], "the query alone does not count")
        #expect(defaultActionIssues("{type: redirect, redirectConfig: {port: '8080', statusCode: HTTP_301}}") == [])
    }

    @Test func fixedResponseLimits() {
        let body = String(repeating: "b", count: 1024)
        #expect(defaultActionIssues("{type: fixed-response, fixedResponseConfig: {statusCode: '599', contentType: application/json, messageBody: \(body)}}") == [])
        #expect(defaultActionIssues("{type: fixed-response, fixedResponseConfig: {statusCode: '302', contentType: image/png, messageBody: \(body)b}}") == [
            "\(Self.defaultAction).fixedResponseConfig.statusCode: '302' is not a 2XX, 4XX or 5XX status code",
            "\(Self.defaultAction).fixedResponseConfig.contentType: 'image/png' is not one of "
                + "text/plain, text/css, text/html, application/javascript, application/json",
            "\(Self.defaultAction).fixedResponseConfig.messageBody: is 1025 characters long; the limit is 1024",
        ])
    }

    /// The AWS API answers what the validator finds with AWS's codes and leaves the state as it was.
    @Test func theAPIAnswersTheLimitsWithAWSCodes() async throws {
        let harness = try APIHarness(yaml: ALBFixtures.stateFile)
        let identity = AWSIdentity()
        let listener = identity.listenerArn(StateFile.LoadBalancer(name: "web-alb", type: .application),
                                           StateFile.Listener(protocol: .http, port: 80, defaultActions: []))
        func call(_ action: String, _ parameters: [String: String]) async -> APIError? {
            guard case .failure(let error) = await harness.call(.elasticLoadBalancingV2, action, parameters) else { return nil }
            return error
        }
        let before = harness.file
        var tooMany: [String: String] = [
            "ListenerArn": listener, "Priority": "7", "Conditions.member.1.Field": "path-pattern",
            "Actions.member.1.Type": "fixed-response", "Actions.member.1.FixedResponseConfig.StatusCode": "200",
        ]
        for index in 1...6 { tooMany["Conditions.member.1.PathPatternConfig.Values.member.\(index)"] = "/\(index)" }
        let values = await call("CreateRule", tooMany)
        #expect(values?.code == "ValidationError")
        #expect(values?.message.contains("a rule can only have 5 condition values, got 6") == true, "\(String(describing: values))")
        let loop = await call("ModifyListener", ["ListenerArn": listener, "DefaultActions.member.1.Type": "redirect",
                                                 "DefaultActions.member.1.RedirectConfig.StatusCode": "HTTP_301"])
        #expect(loop == APIError("InvalidLoadBalancerAction", "The redirect configuration is not valid because it creates a loop."))
        #expect(harness.file == before)
    }
}
