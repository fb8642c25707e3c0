using System.Net;

namespace OrderX.Gateway.Tests;

/// <summary>
/// A load balancer follows the gateway's readiness: one service down (the payment service here) must not take the
/// whole shop out of rotation. Which service is down is for operators, in the health report.
/// </summary>
public sealed class GatewayReadinessTests
{
    [Fact]
    public async Task The_gateway_stays_ready_while_a_service_behind_it_is_down_and_its_health_report_names_that_service()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();

        using var ready = await gateway.Client.GetAsync("/health/ready");
        using var report = await gateway.Client.GetAsync("/health");
        var detail = await report.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, report.StatusCode);
        Assert.Contains("payment", detail);
        Assert.DoesNotContain("order", detail.Replace("OrderX", ""), StringComparison.Ordinal);
    }
}
