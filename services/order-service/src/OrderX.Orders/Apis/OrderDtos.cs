using OrderX.Orders.Domain;

namespace OrderX.Orders.Apis;

/// <summary>The order's lines. <see cref="UserId"/> is accepted from clients written to the original flow specification (which sent it) and ignored: the order is the caller's.</summary>
public sealed record CreateOrderRequest(Guid? UserId, List<CreateOrderItem?>? Items);

public sealed record CreateOrderItem(Guid? ProductId, int? Quantity);

public sealed record OrderAccepted(Guid OrderId, string Status);

public sealed record OrderStatusDto(Guid OrderId, string Status, string Message);

public sealed record OrderItemDto(Guid ProductId, string ProductName, decimal UnitPrice, int Quantity, decimal LineTotal);

/// <summary>One step; <see cref="Id"/> is also its event id in the order's event stream.</summary>
public sealed record OrderHistoryDto(long Id, DateTime At, string Status, string Cause, string Detail);

/// <summary>An order; <see cref="History"/> is filled when one order is asked for, and left out of listings.</summary>
public sealed record OrderDto(
    Guid Id,
    Guid UserId,
    string CustomerEmail,
    string Status,
    string Message,
    string? CancelReason,
    decimal Total,
    string Currency,
    Guid? PaymentId,
    string? Payment,
    string? Stock,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    IReadOnlyList<OrderItemDto> Items,
    IReadOnlyList<OrderHistoryDto>? History)
{
    public static OrderDto From(Order o, bool withHistory = false) => new(
        o.Id, o.UserId, o.CustomerEmail, o.Status, o.StatusMessage, o.CancelReason, o.Total, o.Currency, o.PaymentId,
        o.PaymentStatus, o.StockStatus, o.CreatedAt, o.UpdatedAt,
        o.Items.Select(i => new OrderItemDto(i.ProductId, i.ProductName, i.UnitPrice, i.Quantity, i.LineTotal)).ToList(),
        withHistory ? o.History.OrderBy(h => h.At).ThenBy(h => h.Id).Select(h => new OrderHistoryDto(h.Id, h.At, h.Status, h.Cause, h.Detail)).ToList() : null);
}
