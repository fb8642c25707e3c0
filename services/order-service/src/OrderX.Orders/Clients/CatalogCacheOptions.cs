namespace OrderX.Orders.Clients;

public sealed class CatalogCacheOptions
{
    public const string Section = "Orders:CatalogCache";

    /// <summary>
    /// How long a product's name and price, once read from the product service, price new orders without asking
    /// again. Zero asks on every order. Stock is not cached: it is reserved by the product service afterwards.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// While the product service does not answer, orders are still priced from products read this recently, so a
    /// restart of the product service refuses no order. A product deleted meanwhile is refused by the stock
    /// reservation (the order is cancelled); a price changed meanwhile applies once the service answers again.
    /// Zero refuses orders (503) as soon as the product service does not answer.
    /// </summary>
    public TimeSpan StaleIfError { get; set; } = TimeSpan.FromMinutes(5);
}
