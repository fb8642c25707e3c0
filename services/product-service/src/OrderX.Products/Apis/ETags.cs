using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OrderX.Products.Data;

namespace OrderX.Products.Apis;

/// <summary>Strong entity tags from the product's version, and the If-Match / If-None-Match checks on them.</summary>
public static class ETags
{
    public static string Of(Product product) => $"\"v{product.Version}\"";

    public static void Set(HttpContext context, Product product) => context.Response.Headers.ETag = Of(product);

    /// <summary>True when an <c>If-Match</c> or <c>If-None-Match</c> header lists this tag (or <c>*</c>).</summary>
    public static bool Matches(string? header, Product product)
    {
        if (string.IsNullOrWhiteSpace(header))
            return false;
        if (!EntityTagHeaderValue.TryParseList([header], out var tags))
            return false;
        var current = Of(product);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || (!t.IsWeak && t.Tag.Value == current));
    }
}
