namespace OrderX.Orders.Domain;

/// <summary>A line with the product's name and price as they were when the order was placed.</summary>
public sealed class OrderItem
{
    public long Id { get; set; }
    public Guid OrderId { get; set; }
    public Guid ProductId { get; set; }
    public required string ProductName { get; set; }
    public decimal UnitPrice { get; set; }
    public int Quantity { get; set; }

    public decimal LineTotal => UnitPrice * Quantity;
}
