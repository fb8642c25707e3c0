using OrderX.Contracts;

namespace OrderX.ServiceData;

/// <summary>
/// Who consumes what: mirrors the Subscribe calls in each service's Extensions.cs (a test keeps them equal). The
/// operator's tools use it to find every queue and dead-letter queue without asking the broker to list them.
/// </summary>
public static class OrderXSubscriptions
{
    public static IReadOnlyList<(string Service, string Event)> All { get; } =
    [
        ("payment", OrderCreated.EventType),
        ("payment", PaymentRefund.EventType),
        ("product", OrderCreated.EventType),
        ("product", OrderCompleted.EventType),
        ("product", OrderCancelled.EventType),
        ("order", PaymentSucceeded.EventType),
        ("order", PaymentFailed.EventType),
        ("order", PaymentRefunded.EventType),
        ("order", StockReserved.EventType),
        ("order", StockRejected.EventType),
        ("order", StockReleased.EventType),
        ("order", NotificationSent.EventType),
        ("notification", OrderCompleted.EventType),
        ("notification", OrderCancelled.EventType),
        ("notification", PaymentRefunded.EventType),
    ];

    /// <summary>The services that consume events.</summary>
    public static IReadOnlyList<string> Services { get; } = All.Select(s => s.Service).Distinct().ToList();

    /// <summary>RabbitMQ's queue of each subscription on <paramref name="exchange"/>.</summary>
    public static IEnumerable<string> Queues(string exchange) => All.Select(s => $"{exchange}.{s.Service}.{s.Event}");
}
