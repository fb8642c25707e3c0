namespace OrderX.Orders.Saga;

public sealed class OrderSagaOptions
{
    public const string Section = "Orders";

    /// <summary>A pending order with no final answer after this long is cancelled and compensated.</summary>
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often pending orders are checked against <see cref="PendingTimeout"/>.</summary>
    public TimeSpan TimeoutCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the pending orders are counted for the <c>orderx.orders.pending</c> gauges.</summary>
    public TimeSpan PendingSampleInterval { get; set; } = TimeSpan.FromSeconds(5);
}
