using System.Net;
using System.Net.Http.Json;
using OrderX.ServiceDefaults;

namespace OrderX.Orders.Clients;

public sealed record ProductInfo(Guid Id, string Name, decimal Price, string Currency);

/// <summary>
/// Reads products from the product service over HTTP, all lines of an order in one request, unless every one of
/// them was read within <see cref="CatalogCacheOptions.Lifetime"/>; while the product service does not answer, from
/// products read within <see cref="CatalogCacheOptions.StaleIfError"/>.
/// </summary>
public sealed class ProductCatalog(HttpClient http, CatalogCache cache)
{
    private sealed record ProductPage(List<ProductInfo> Items);

    /// <summary>The products still on sale among <paramref name="ids"/>; deleted and unknown ones are missing.</summary>
    public async Task<IReadOnlyList<ProductInfo>> GetAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (cache.TryGetAll(ids, out var cached))
            return cached;
        ProductPage? page;
        try
        {
            page = await http.GetFromJsonAsync<ProductPage>($"/api/products?ids={string.Join(',', ids)}", cancellationToken);
        }
        catch (Exception error) when (IsOutage(error) && cache.TryGetStale(ids, out var stale))
        {
            return stale;
        }
        var products = page?.Items ?? [];
        cache.Remember(products);
        return products;
    }

    /// <summary>The product service is away (refused, timed out, an open circuit, a 5xx); not a request it refused.</summary>
    private static bool IsOutage(Exception error) =>
        error is not HttpRequestException { StatusCode: < HttpStatusCode.InternalServerError } && Outage.Explain(error) is not null;

    private static readonly ServiceCallOutage Outage = new();
}
