using OrderX.ServiceDefaults;

namespace OrderX.ServiceData;

/// <summary>The service's database is down or overloaded (<see cref="DependencyFailures"/>): a request that met it changed nothing.</summary>
public sealed class DatabaseOutage : IDependencyOutage
{
    public string? Explain(Exception error) =>
        DependencyFailures.Instance.IsTransient(error)
            ? "A database OrderX depends on did not answer; nothing was changed. Try again shortly."
            : null;
}
