namespace OrderX.Orders.Domain;

/// <summary>What the other services must be told after a step of the saga; the handler turns each into an event.</summary>
[Flags]
public enum OrderEffects
{
    None = 0,
    /// <summary>order.completed: the reservation becomes a sale, the customer gets a confirmation.</summary>
    Completed = 1,
    /// <summary>order.cancelled: the reservation (if any) is released, the customer is told why.</summary>
    Cancelled = 2,
    /// <summary>payment.refund: the money of a payment for a cancelled order goes back.</summary>
    RefundPayment = 4,
}
