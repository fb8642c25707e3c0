namespace OrderX.Products.Stock;

public sealed class StockReservationLine
{
    public Guid OrderId { get; set; }
    public Guid ProductId { get; set; }
    public int Quantity { get; set; }
}
