using System.Net.Http.Json;

namespace OrderX.Orders.Clients;

public sealed record ProductInfo(Guid Id, string Name, decimal Price, string Currency, int Stock);

/// <summary>Reads products from the product service over HTTP, all lines of an order in one request.</summary>
public sealed class ProductCatalog(HttpClient http)
{
    public async Task<IReadOnlyList<ProductInfo>> GetAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var products = await http.GetFromJsonAsync<List<ProductInfo>>($"/api/products?ids={string.Join(',', ids)}", cancellationToken);
        return products ?? [];
    }
}
