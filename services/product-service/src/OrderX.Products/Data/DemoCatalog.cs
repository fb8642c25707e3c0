using Microsoft.EntityFrameworkCore;

namespace OrderX.Products.Data;

/// <summary>A few products with fixed ids, present from the first start so an order can be placed at once.</summary>
public static class DemoCatalog
{
    // Plenty of stock, so that benchmarks and demos do not sell out; the last product is scarce on purpose
    // (ordering more than is left shows the out-of-stock path).
    public static readonly Product[] Products =
    [
        Demo("0b0e7a1e-0000-4000-8000-000000000101", "Espresso beans, 1 kg", "Single-origin, medium roast.", 24.90m, 1_000_000),
        Demo("0b0e7a1e-0000-4000-8000-000000000102", "Pour-over kettle", "Gooseneck, 1 litre.", 59.00m, 1_000_000),
        Demo("0b0e7a1e-0000-4000-8000-000000000103", "Burr grinder", "Conical burrs, 40 settings.", 149.00m, 1_000_000),
        Demo("0b0e7a1e-0000-4000-8000-000000000104", "Espresso machine", "Dual boiler. Priced above the demo card limit.", 1899.00m, 1_000_000),
        Demo("0b0e7a1e-0000-4000-8000-000000000105", "Signed barista handbook", "First edition. Only a few left.", 39.00m, 3),
    ];

    public static async Task SeedAsync(ProductsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var existing = await db.Products.Select(p => p.Id).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        db.Products.AddRange(Products.Where(p => !existing.Contains(p.Id)).Select(p => Copy(p, now)));
    }

    private static Product Demo(string id, string name, string description, decimal price, int stock) => new()
    {
        Id = Guid.Parse(id),
        Name = name,
        Description = description,
        Price = price,
        Stock = stock,
        CreatedAt = DateTime.UnixEpoch,
        UpdatedAt = DateTime.UnixEpoch,
    };

    private static Product Copy(Product p, DateTime now) => new()
    {
        Id = p.Id, Name = p.Name, Description = p.Description, Price = p.Price, Currency = p.Currency, Stock = p.Stock, CreatedAt = now, UpdatedAt = now,
    };
}
