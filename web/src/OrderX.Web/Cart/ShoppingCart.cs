namespace OrderX.Web.Cart;

/// <summary>
/// What the customer means to buy: product ids and quantities, no prices (those come from the catalog when shown
/// and from the order service when ordered). <see cref="Id"/> is the checkout's idempotency key, so a checkout sent
/// twice (a double click, a retried post) places one order.
/// </summary>
public sealed record ShoppingCart(Guid Id, IReadOnlyList<CartLine> Lines)
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 1000;

    public static ShoppingCart Empty() => new(Guid.NewGuid(), []);

    public int Count => Lines.Sum(l => l.Quantity);

    public ShoppingCart Add(Guid productId, int quantity)
    {
        var current = Lines.FirstOrDefault(l => l.ProductId == productId)?.Quantity ?? 0;
        return Set(productId, current + quantity);
    }

    /// <summary>Sets a line's quantity; 0 removes it. Quantities are kept within what one order line allows.</summary>
    public ShoppingCart Set(Guid productId, int quantity)
    {
        var lines = Lines.Where(l => l.ProductId != productId).ToList();
        var index = Lines.ToList().FindIndex(l => l.ProductId == productId);
        if (quantity > 0 && (index >= 0 || lines.Count < MaxLines))
            lines.Insert(index >= 0 ? index : lines.Count, new CartLine(productId, Math.Min(quantity, MaxQuantity)));
        return this with { Lines = lines };
    }
}

public sealed record CartLine(Guid ProductId, int Quantity);
