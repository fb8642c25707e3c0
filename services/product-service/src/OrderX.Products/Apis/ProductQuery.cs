using Microsoft.AspNetCore.Http.HttpResults;
using OrderX.Products.Data;
using OrderX.ServiceDefaults;

namespace OrderX.Products.Apis;

/// <summary>
/// The listing's query string: <c>name</c> (contains, any case), <c>minPrice</c>, <c>maxPrice</c>,
/// <c>sort</c> (<c>name</c>, <c>price</c>, <c>created</c>; a leading <c>-</c> for descending), <c>page</c> and
/// <c>pageSize</c> (at most 100), <c>ids</c> (a batch look-up of at most 100 ids), <c>includeDeleted</c>.
/// </summary>
public sealed record ProductQuery(
    string? Name, decimal? MinPrice, decimal? MaxPrice, string? Sort, int? Page, int? PageSize, string? Ids, bool? IncludeDeleted)
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;
    private static readonly string[] SortKeys = ["name", "price", "created"];

    public int PageNumber => Page ?? 1;
    public int Size => PageSize ?? DefaultPageSize;

    public ValidationProblem? Validate(out List<Guid> ids)
    {
        var errors = new ValidationErrors();
        ids = [];
        if (Page is < 1)
            errors.Add("page", "page starts at 1.");
        if (PageSize is < 1 or > MaxPageSize)
            errors.Add("pageSize", $"pageSize is between 1 and {MaxPageSize}.");
        if (MinPrice is < 0 || MaxPrice is < 0 || MinPrice > MaxPrice)
            errors.Add("price", "minPrice and maxPrice are non-negative and minPrice is not above maxPrice.");
        if (Name is { Length: > 200 })
            errors.Add("name", "The name filter is at most 200 characters.");
        if (Sort is not null && !SortKeys.Contains(Sort.TrimStart('-')))
            errors.Add("sort", $"sort is one of {string.Join(", ", SortKeys)}, optionally prefixed with '-' for descending.");
        if (!string.IsNullOrWhiteSpace(Ids))
        {
            var parts = Ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var part in parts)
                if (Guid.TryParse(part, out var id))
                    ids.Add(id);
            if (ids.Count != parts.Length || parts.Length > MaxPageSize)
                errors.Add("ids", $"ids is a comma-separated list of at most {MaxPageSize} product ids.");
        }
        return errors.Any ? errors.ToResult() : null;
    }

    public IQueryable<Product> Apply(IQueryable<Product> products, IReadOnlyCollection<Guid> ids)
    {
        if (IncludeDeleted != true)
            products = products.Where(p => p.DeletedAt == null);
        if (ids.Count > 0)
            products = products.Where(p => ids.Contains(p.Id));
        if (!string.IsNullOrWhiteSpace(Name))
        {
            var term = Name.Trim().ToLower();
            products = products.Where(p => p.Name.ToLower().Contains(term));
        }
        if (MinPrice is { } min)
            products = products.Where(p => p.Price >= min);
        if (MaxPrice is { } max)
            products = products.Where(p => p.Price <= max);
        var descending = Sort?.StartsWith('-') == true;
        // The id breaks ties, so that paging is stable.
        return (Sort?.TrimStart('-') ?? "name") switch
        {
            "price" => descending ? products.OrderByDescending(p => p.Price).ThenBy(p => p.Id) : products.OrderBy(p => p.Price).ThenBy(p => p.Id),
            "created" => descending ? products.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id) : products.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id),
            _ => descending ? products.OrderByDescending(p => p.Name).ThenBy(p => p.Id) : products.OrderBy(p => p.Name).ThenBy(p => p.Id),
        };
    }
}
