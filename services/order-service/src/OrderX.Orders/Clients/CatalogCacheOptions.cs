namespace OrderX.Orders.Clients;

public sealed class CatalogCacheOptions
{
    public const string Section = "Orders:CatalogCache";

    /// <summary>
    /// How long a product's name and price, once read from the product service, price new orders without asking
    /// again. Zero asks on every order. Stock is not cached: it is reserved by the product service afterwards.
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(5);
}
