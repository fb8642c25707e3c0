namespace OrderX.Orders.Domain;

/// <summary>One step of an order's life: when, what caused it (an event type or a request), and the status after it.</summary>
public sealed class OrderHistoryEntry
{
    public long Id { get; set; }
    public Guid OrderId { get; set; }
    public DateTime At { get; set; }
    public required string Status { get; set; }
    public required string Cause { get; set; }
    public required string Detail { get; set; }
}
