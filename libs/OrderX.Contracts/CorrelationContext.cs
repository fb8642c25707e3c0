namespace OrderX.Contracts;

/// <summary>
/// The correlation id of the work in progress: set from <c>X-Correlation-Id</c> on HTTP requests and from the
/// envelope on consumed messages, so every event a chain causes carries the id of the request that began it.
/// </summary>
public static class CorrelationContext
{
    private static readonly AsyncLocal<string?> Current = new();
    private static readonly AsyncLocal<string?> CurrentOrder = new();

    public static string? CorrelationId
    {
        get => Current.Value;
        set => Current.Value = value;
    }

    /// <summary>The order the work in progress is about (a consumed event's subject, an order being placed), for the logs.</summary>
    public static string? OrderId
    {
        get => CurrentOrder.Value;
        set => CurrentOrder.Value = value;
    }
}
