namespace OrderX.ServiceDefaults;

/// <summary>
/// Recognises one kind of dependency outage among the exceptions a request can end in (a database down, a called
/// service not answering): the server's temporary trouble, answered 503 with Retry-After instead of a 500.
/// Registered by whatever adds that dependency, so the defaults need not know every kind.
/// </summary>
public interface IDependencyOutage
{
    /// <summary>The sentence the caller reads when <paramref name="error"/> is this kind of outage; otherwise null.</summary>
    string? Explain(Exception error);
}
