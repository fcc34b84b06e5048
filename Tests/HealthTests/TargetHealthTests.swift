import Testing

@testable import Health

@Suite struct TargetHealthTests {
    let thresholds = TargetHealth.Thresholds(healthy: 3, unhealthy: 2)

    @Test func initialBecomesHealthyAfterThresholdSuccesses() {
        var health = TargetHealth.registered(healthCheckEnabled: true)
        #expect(health.state == .initial)
        #expect(health.reason == .initialHealthChecking)
        #expect(!health.isRoutable)
        health.record(.success(statusCode: 200), thresholds: thresholds)
        health.record(.success(statusCode: 200), thresholds: thresholds)
        #expect(health.state == .initial)
        health.record(.success(statusCode: 200), thresholds: thresholds)
        #expect(health.state == .healthy)
        #expect(health.reason == nil)
        #expect(health.isRoutable)
    }

    @Test func failuresNeedConsecutiveThreshold() {
        var health = TargetHealth.registered(healthCheckEnabled: true)
        for _ in 0..<3 { health.record(.success(statusCode: 200), thresholds: thresholds) }
        health.record(.timeout, thresholds: thresholds)
        health.record(.success(statusCode: 200), thresholds: thresholds)
        health.record(.timeout, thresholds: thresholds)
        #expect(health.state == .healthy)
        health.record(.responseCodeMismatch(statusCode: 404), thresholds: thresholds)
        #expect(health.state == .unhealthy)
        #expect(health.reason == .responseCodeMismatch)
        #expect(health.description == "Health checks failed with these codes: [404]")
    }

    @Test func unhealthyReasonFollowsLatestFailureAndRecovers() {
        var health = TargetHealth.registered(healthCheckEnabled: true)
        health.record(.timeout, thresholds: thresholds)
        health.record(.timeout, thresholds: thresholds)
        #expect(health.state == .unhealthy)
        #expect(health.reason == .timeout)
        health.record(.failed("connection refused"), thresholds: thresholds)
        #expect(health.reason == .failedHealthChecks)
        #expect(health.description == "Health checks failed: connection refused")
        for _ in 0..<2 { health.record(.success(statusCode: 200), thresholds: thresholds) }
        #expect(health.state == .unhealthy)
        health.record(.success(statusCode: 200), thresholds: thresholds)
        #expect(health.state == .healthy)
    }

    @Test func drainingAndUnusedIgnoreChecks() {
        var health = TargetHealth.registered(healthCheckEnabled: true)
        health.beginDraining()
        #expect(health.state == .draining)
        #expect(health.reason == .deregistrationInProgress)
        for _ in 0..<5 { health.record(.success(statusCode: 200), thresholds: thresholds) }
        #expect(health.state == .draining)
        health.finishDraining()
        #expect(health.state == .unused)
        #expect(health.reason == .notRegistered)
        health.beginDraining()
        #expect(health.state == .unused)
    }

    @Test func disabledChecksAreUnavailableButRoutable() {
        let health = TargetHealth.registered(healthCheckEnabled: false)
        #expect(health.state == .unavailable)
        #expect(health.reason == .healthCheckDisabled)
        #expect(health.isRoutable)
        #expect(!health.isChecked)
    }

    @Test func reasonCodesUseAWSNames() {
        #expect(TargetHealth.Reason.initialHealthChecking.rawValue == "Elb.InitialHealthChecking")
        #expect(TargetHealth.Reason.timeout.rawValue == "Target.Timeout")
        #expect(TargetHealth.Reason.responseCodeMismatch.rawValue == "Target.ResponseCodeMismatch")
        #expect(TargetHealth.Reason.failedHealthChecks.rawValue == "Target.FailedHealthChecks")
        #expect(TargetHealth.Reason.deregistrationInProgress.rawValue == "Target.DeregistrationInProgress")
        #expect(TargetHealth.Reason.notRegistered.rawValue == "Target.NotRegistered")
    }
}
