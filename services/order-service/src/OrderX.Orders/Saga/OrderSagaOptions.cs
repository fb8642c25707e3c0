namespace OrderX.Orders.Saga;

public sealed class OrderSagaOptions
{
    public const string Section = "Orders";

    /// <summary>A pending order with no final answer after this long is cancelled and compensated.</summary>
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often pending orders are checked against <see cref="PendingTimeout"/>.</summary>
    public TimeSpan TimeoutCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
