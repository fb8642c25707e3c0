namespace OrderX.Products.Stock;

/// <summary>
/// What the product service did for one order. Keyed by the order, so a second order.created finds it; a
/// cancellation that arrives first leaves a <see cref="ReservationStatus.Cancelled"/> row that stops a later reservation.
/// </summary>
public sealed class StockReservation
{
    public Guid OrderId { get; set; }
    public required string Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<StockReservationLine> Lines { get; set; } = [];
}
