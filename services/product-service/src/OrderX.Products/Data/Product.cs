namespace OrderX.Products.Data;

/// <summary>
/// A product and its stock. <see cref="Stock"/> is what is on the shelf; <see cref="Reserved"/> is promised to
/// pending orders; only the difference can be reserved. Deleting only hides it: orders keep referring to it.
/// </summary>
public sealed class Product
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public decimal Price { get; set; }
    public string Currency { get; set; } = "EUR";
    public int Stock { get; set; }
    public int Reserved { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
    /// <summary>Bumped by every change, stock movements included; it is the ETag.</summary>
    public int Version { get; set; }

    public int Available => Stock - Reserved;
}
