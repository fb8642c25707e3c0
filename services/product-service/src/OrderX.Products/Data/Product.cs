namespace OrderX.Products.Data;

public sealed class Product
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public decimal Price { get; set; }
    public string Currency { get; set; } = "EUR";
    public int Stock { get; set; }
    public DateTime CreatedAt { get; set; }
}
