using OrderX.Orders.Domain;

namespace OrderX.Orders.Apis;

public sealed record CreateOrderRequest(Guid? UserId, List<CreateOrderItem?>? Items);

public sealed record CreateOrderItem(Guid? ProductId, int? Quantity);

public sealed record OrderAccepted(Guid OrderId, string Status);

public sealed record OrderStatusDto(Guid OrderId, string Status, string Message);

public sealed record OrderItemDto(Guid ProductId, string ProductName, decimal UnitPrice, int Quantity, decimal LineTotal);

public sealed record OrderDto(
    Guid Id,
    Guid UserId,
    string CustomerEmail,
    string Status,
    string Message,
    decimal Total,
    string Currency,
    Guid? PaymentId,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<OrderItemDto> Items)
{
    public static OrderDto From(Order o) => new(
        o.Id, o.UserId, o.CustomerEmail, o.Status, o.StatusMessage, o.Total, o.Currency, o.PaymentId, o.CreatedAt, o.UpdatedAt,
        o.Items.Select(i => new OrderItemDto(i.ProductId, i.ProductName, i.UnitPrice, i.Quantity, i.LineTotal)).ToList());
}
