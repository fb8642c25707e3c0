using OrderX.Contracts;

namespace OrderX.Orders.Domain;

/// <summary>
/// An order and its saga. <c>pending</c> → <c>paid</c> once both the payment succeeded and the stock is reserved;
/// <c>pending</c> → <c>cancelled</c> on a declined payment, rejected stock, a timeout or the customer's request.
/// Answers may arrive in any order and more than once: each step looks only at what is known so far, a repeat is
/// <see cref="Transition.AlreadyApplied"/>, and the compensation owed (a refund; the release of the reservation,
/// which the product service does on order.cancelled) comes back as <see cref="OrderEffects"/>.
/// </summary>
public sealed class Order
{
    public const string CompletedMessage = "Order Completed Successfully";

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public string CustomerEmail { get; private set; } = "";
    public string Status { get; private set; } = OrderStatus.Pending;
    /// <summary>One of <see cref="CancellationReasons"/> once cancelled.</summary>
    public string? CancelReason { get; private set; }
    /// <summary>The sentence the customer reads about a cancellation.</summary>
    public string? StatusReason { get; private set; }
    public decimal Total { get; private set; }
    public string Currency { get; private set; } = "EUR";
    public Guid? PaymentId { get; private set; }
    /// <summary>One of <see cref="PaymentState"/>, or null before the payment service answered.</summary>
    public string? PaymentStatus { get; private set; }
    /// <summary>One of <see cref="StockState"/>, or null before the product service answered.</summary>
    public string? StockStatus { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    /// <summary>Optimistic concurrency: two events racing on one order cannot both win.</summary>
    public int Version { get; private set; }
    public List<OrderItem> Items { get; private set; } = [];
    public List<OrderHistoryEntry> History { get; private set; } = [];

    private Order() { }

    public static Order Place(Guid id, Guid userId, string customerEmail, IReadOnlyCollection<OrderItem> items, DateTime now, string currency = "EUR")
    {
        if (items.Count == 0)
            throw new ArgumentException("An order needs at least one item.", nameof(items));
        if (items.Any(i => i.Quantity <= 0))
            throw new ArgumentException("Every quantity must be positive.", nameof(items));
        foreach (var item in items)
            item.OrderId = id;
        var order = new Order
        {
            Id = id,
            UserId = userId,
            CustomerEmail = customerEmail,
            Items = [.. items],
            Total = items.Sum(i => i.LineTotal),
            Currency = currency,
            CreatedAt = now,
            UpdatedAt = now,
        };
        order.Record(now, OrderCauses.Placed, $"Order placed: {items.Count} line(s), {order.Total:0.00} {currency}.");
        return order;
    }

    public OrderOutcome PaymentSucceeded(Guid paymentId, DateTime now)
    {
        if (PaymentId == paymentId)
            return OrderOutcome.Repeat;
        if (PaymentId is not null || Status == OrderStatus.Paid)
            return OrderOutcome.Rejected;
        PaymentId = paymentId;
        if (Status == OrderStatus.Cancelled)
        {
            PaymentStatus = PaymentState.RefundRequested;
            return Step(now, Contracts.PaymentSucceeded.EventType, "Payment arrived after the order was cancelled; refund requested.", OrderEffects.RefundPayment);
        }
        PaymentStatus = PaymentState.Succeeded;
        return StockStatus == StockState.Reserved
            ? Complete(now, Contracts.PaymentSucceeded.EventType, "Payment succeeded; stock already reserved.")
            : Step(now, Contracts.PaymentSucceeded.EventType, "Payment succeeded; waiting for the stock reservation.");
    }

    public OrderOutcome PaymentFailed(Guid paymentId, string reason, DateTime now)
    {
        if (PaymentId == paymentId)
            return OrderOutcome.Repeat;
        if (PaymentId is not null || Status == OrderStatus.Paid)
            return OrderOutcome.Rejected;
        PaymentId = paymentId;
        PaymentStatus = PaymentState.Declined;
        return Status == OrderStatus.Pending
            ? Cancel(now, Contracts.PaymentFailed.EventType, CancellationReasons.PaymentDeclined, $"Payment declined: {reason}")
            : Step(now, Contracts.PaymentFailed.EventType, $"Payment declined after the order was cancelled: {reason}");
    }

    public OrderOutcome StockReserved(DateTime now)
    {
        if (StockStatus is StockState.Reserved or StockState.Released)
            return OrderOutcome.Repeat;
        if (StockStatus is not null || Status == OrderStatus.Paid)
            return OrderOutcome.Rejected;
        StockStatus = StockState.Reserved;
        if (Status == OrderStatus.Cancelled)
            return Step(now, Contracts.StockReserved.EventType, "Stock reserved after the order was cancelled; the product service releases it.");
        return PaymentStatus == PaymentState.Succeeded
            ? Complete(now, Contracts.StockReserved.EventType, "Stock reserved; payment already succeeded.")
            : Step(now, Contracts.StockReserved.EventType, "Stock reserved; waiting for the payment.");
    }

    public OrderOutcome StockRejected(string reason, DateTime now)
    {
        if (StockStatus == StockState.Rejected)
            return OrderOutcome.Repeat;
        if (StockStatus is not null || Status == OrderStatus.Paid)
            return OrderOutcome.Rejected;
        StockStatus = StockState.Rejected;
        return Status == OrderStatus.Pending
            ? Cancel(now, Contracts.StockRejected.EventType, CancellationReasons.OutOfStock, $"Out of stock: {reason}")
            : Step(now, Contracts.StockRejected.EventType, $"Stock rejected after the order was cancelled: {reason}");
    }

    /// <summary>The reservation went back to the shelf. It may overtake stock.reserved (separate queues), so it wins over it.</summary>
    public OrderOutcome StockReleased(DateTime now)
    {
        if (StockStatus == StockState.Released)
            return OrderOutcome.Repeat;
        StockStatus = StockState.Released;
        return Step(now, Contracts.StockReleased.EventType, "Reserved stock released.");
    }

    public OrderOutcome PaymentRefunded(Guid paymentId, DateTime now)
    {
        if (PaymentStatus == PaymentState.Refunded)
            return OrderOutcome.Repeat;
        if (PaymentId != paymentId)
            return OrderOutcome.Rejected;
        PaymentStatus = PaymentState.Refunded;
        return Step(now, Contracts.PaymentRefunded.EventType, "Payment refunded.");
    }

    /// <summary>The customer was e-mailed about this order: a step of its history, whatever its state.</summary>
    public OrderOutcome CustomerNotified(string subject, DateTime now) =>
        Step(now, Contracts.NotificationSent.EventType, $"E-mail sent: {subject}");

    /// <summary>The customer's cancel or the timeout: only a pending order can be cancelled this way.</summary>
    public OrderOutcome CancelPending(string cause, string reasonCode, string reason, DateTime now) => Status switch
    {
        OrderStatus.Pending => Cancel(now, cause, reasonCode, reason),
        OrderStatus.Cancelled => OrderOutcome.Repeat,
        _ => OrderOutcome.Rejected,
    };

    /// <summary>The customer-facing sentence for the current state.</summary>
    public string StatusMessage => Status switch
    {
        OrderStatus.Paid => CompletedMessage,
        OrderStatus.Cancelled => StatusReason ?? "Order cancelled",
        _ => "Order is being processed",
    };

    private OrderOutcome Complete(DateTime now, string cause, string detail)
    {
        Status = OrderStatus.Paid;
        return Step(now, cause, detail + " Order paid.", OrderEffects.Completed);
    }

    private OrderOutcome Cancel(DateTime now, string cause, string reasonCode, string reason)
    {
        Status = OrderStatus.Cancelled;
        CancelReason = reasonCode;
        StatusReason = Clip(reason, 1000);
        var effects = OrderEffects.Cancelled;
        var detail = reason;
        if (PaymentStatus == PaymentState.Succeeded)
        {
            PaymentStatus = PaymentState.RefundRequested;
            effects |= OrderEffects.RefundPayment;
            detail += " Refund requested.";
        }
        return Step(now, cause, detail, effects);
    }

    private OrderOutcome Step(DateTime now, string cause, string detail, OrderEffects effects = OrderEffects.None)
    {
        Record(now, cause, detail);
        UpdatedAt = now;
        Version++;
        return new OrderOutcome(Transition.Applied, effects);
    }

    private void Record(DateTime now, string cause, string detail) =>
        History.Add(new OrderHistoryEntry { OrderId = Id, At = now, Status = Status, Cause = cause, Detail = Clip(detail, 2000) });

    // A rejection lists every short line; the columns are bounded.
    private static string Clip(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}
