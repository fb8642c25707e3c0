using System.Globalization;

namespace OrderX.Web.Backend;

/// <summary>The product service's catalog, read anonymously.</summary>
public sealed class CatalogClient(HttpClient http)
{
    public Task<ApiResult<ProductPage>> SearchAsync(CatalogSearch search, CancellationToken cancellationToken)
    {
        var query = new List<string> { $"page={search.Page}", $"pageSize={CatalogSearch.PageSize}" };
        if (!string.IsNullOrWhiteSpace(search.Name))
            query.Add($"name={Uri.EscapeDataString(search.Name.Trim())}");
        if (search.MinPrice is { } min)
            query.Add(string.Create(CultureInfo.InvariantCulture, $"minPrice={min}"));
        if (search.MaxPrice is { } max)
            query.Add(string.Create(CultureInfo.InvariantCulture, $"maxPrice={max}"));
        if (CatalogSearch.Sorts.ContainsKey(search.Sort ?? ""))
            query.Add($"sort={search.Sort}");
        return ApiCalls.SendAsync<ProductPage>(http, new HttpRequestMessage(HttpMethod.Get, $"/api/products?{string.Join('&', query)}"), null, cancellationToken);
    }

    /// <summary>The products among <paramref name="ids"/> still on sale.</summary>
    public async Task<IReadOnlyList<Product>> GetAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return [];
        var result = await ApiCalls.SendAsync<ProductPage>(http, new HttpRequestMessage(HttpMethod.Get, $"/api/products?ids={string.Join(',', ids)}"), null, cancellationToken);
        return result.Value?.Items ?? [];
    }
}

/// <summary>What the catalog page's search form asks for.</summary>
public sealed record CatalogSearch(string? Name, decimal? MinPrice, decimal? MaxPrice, string? Sort, int Page)
{
    public const int PageSize = 12;

    public static readonly IReadOnlyDictionary<string, string> Sorts = new Dictionary<string, string>
    {
        ["name"] = "Name, A to Z",
        ["price"] = "Price, lowest first",
        ["-price"] = "Price, highest first",
        ["-created"] = "Newest first",
    };
}
