namespace OrderX.Products.Apis;

/// <summary>One page of a product listing; <see cref="TotalCount"/> counts every match, on all pages.</summary>
public sealed record ProductPage(IReadOnlyList<ProductDto> Items, int Page, int PageSize, int TotalCount);
