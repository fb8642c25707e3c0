namespace OrderX.Products.Apis;

/// <summary>The body of a create (POST) or a full update (PUT): every field is sent each time.</summary>
public sealed record ProductRequest(string? Name, string? Description, decimal? Price, string? Currency, int? Stock);
