namespace OrderX.Orders.Domain;

/// <summary>
/// An order and its state machine: <c>pending</c> → <c>paid</c> or <c>pending</c> → <c>payment_failed</c>.
/// Final states never change; a repeated event is reported as <see cref="Transition.AlreadyApplied"/> so
/// redeliveries are harmless.
/// </summary>
public sealed class Order
{
    public const string CompletedMessage = "Order Completed Successfully";

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public string CustomerEmail { get; private set; } = "";
    public string Status { get; private set; } = OrderStatus.Pending;
    public string? StatusReason { get; private set; }
    public decimal Total { get; private set; }
    public string Currency { get; private set; } = "EUR";
    public Guid? PaymentId { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    /// <summary>Optimistic concurrency: two events racing on one order cannot both win.</summary>
    public int Version { get; private set; }
    public List<OrderItem> Items { get; private set; } = [];

    private Order() { }

    public static Order Place(Guid id, Guid userId, string customerEmail, IReadOnlyCollection<OrderItem> items, DateTime now)
    {
        if (items.Count == 0)
            throw new ArgumentException("An order needs at least one item.", nameof(items));
        if (items.Any(i => i.Quantity <= 0))
            throw new ArgumentException("Every quantity must be positive.", nameof(items));
        foreach (var item in items)
            item.OrderId = id;
        return new Order
        {
            Id = id,
            UserId = userId,
            CustomerEmail = customerEmail,
            Items = [.. items],
            Total = items.Sum(i => i.LineTotal),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public Transition MarkPaid(Guid paymentId, DateTime now)
    {
        if (Status == OrderStatus.Paid && PaymentId == paymentId)
            return Transition.AlreadyApplied;
        if (Status != OrderStatus.Pending)
            return Transition.Rejected;
        Status = OrderStatus.Paid;
        StatusReason = null;
        PaymentId = paymentId;
        Touch(now);
        return Transition.Applied;
    }

    public Transition MarkPaymentFailed(Guid paymentId, string reason, DateTime now)
    {
        if (Status == OrderStatus.PaymentFailed && PaymentId == paymentId)
            return Transition.AlreadyApplied;
        if (Status != OrderStatus.Pending)
            return Transition.Rejected;
        Status = OrderStatus.PaymentFailed;
        StatusReason = reason;
        PaymentId = paymentId;
        Touch(now);
        return Transition.Applied;
    }

    /// <summary>The customer-facing sentence for the current state.</summary>
    public string StatusMessage => Status switch
    {
        OrderStatus.Paid => CompletedMessage,
        OrderStatus.PaymentFailed => $"Payment failed: {StatusReason}",
        _ => "Order is being processed",
    };

    private void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }
}
