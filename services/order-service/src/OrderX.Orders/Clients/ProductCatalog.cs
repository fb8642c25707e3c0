using System.Net.Http.Json;

namespace OrderX.Orders.Clients;

public sealed record ProductInfo(Guid Id, string Name, decimal Price, string Currency);

/// <summary>
/// Reads products from the product service over HTTP, all lines of an order in one request, unless every one of
/// them was read within <see cref="CatalogCacheOptions.Lifetime"/>.
/// </summary>
public sealed class ProductCatalog(HttpClient http, CatalogCache cache)
{
    private sealed record ProductPage(List<ProductInfo> Items);

    /// <summary>The products still on sale among <paramref name="ids"/>; deleted and unknown ones are missing.</summary>
    public async Task<IReadOnlyList<ProductInfo>> GetAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (cache.TryGetAll(ids, out var cached))
            return cached;
        var page = await http.GetFromJsonAsync<ProductPage>($"/api/products?ids={string.Join(',', ids)}", cancellationToken);
        var products = page?.Items ?? [];
        cache.Remember(products);
        return products;
    }
}
