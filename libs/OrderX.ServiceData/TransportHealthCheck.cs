using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderX.Messaging.Transport;

namespace OrderX.ServiceData;

public sealed class TransportHealthCheck(IMessageTransport transport) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(transport.IsConnected
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Not connected to the {transport.Name} broker."));
}
