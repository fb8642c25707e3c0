using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrderX.ServiceDefaults;

/// <summary>
/// Another OrderX service did not answer a typed client (<see cref="ServiceClientExtensions.AddServiceClient{TClient}"/>):
/// refused or dropped connections, an error status, a response cut off because the service died while answering
/// (<see cref="HttpIOException"/>), attempts that timed out, or a circuit the failures opened.
/// </summary>
public sealed class ServiceCallOutage : IDependencyOutage
{
    public string? Explain(Exception error) => error switch
    {
        HttpRequestException or HttpIOException or BrokenCircuitException or TimeoutRejectedException or TaskCanceledException { InnerException: TimeoutException } =>
            "A service OrderX depends on did not answer; nothing was changed. Try again shortly.",
        _ => null,
    };
}
