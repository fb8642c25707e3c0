using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace OrderX.Web.Apis;

/// <summary>
/// The pages' stylesheet and scripts, embedded in the assembly. Their URLs carry a hash of their content, so they
/// are cached for a year and a new build's pages ask for the new ones.
/// </summary>
public static class WebAssets
{
    private sealed record Asset(string Url, byte[] Content, string ContentType);

    private static readonly Dictionary<string, Asset> ByName = new[] { ("site.css", "text/css; charset=utf-8"), ("track.js", "text/javascript; charset=utf-8"), ("bus.js", "text/javascript; charset=utf-8") }
        .Select(a => Load(a.Item1, a.Item2))
        .ToDictionary(a => a.Name, a => a.Asset);

    public static string Css => ByName["site.css"].Url;
    public static string TrackScript => ByName["track.js"].Url;
    public static string BusScript => ByName["bus.js"].Url;

    public static IEndpointRouteBuilder MapAssets(this IEndpointRouteBuilder app)
    {
        foreach (var asset in ByName.Values)
            app.MapGet(asset.Url, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return Results.Bytes(asset.Content, asset.ContentType);
            });
        return app;
    }

    private static (string Name, Asset Asset) Load(string name, string contentType)
    {
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream($"OrderX.Web.Assets.{name}")
            ?? throw new InvalidOperationException($"The asset {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(content))[..12];
        return (name, new Asset($"/assets/{Path.GetFileNameWithoutExtension(name)}.{hash}{Path.GetExtension(name)}", content, contentType));
    }
}
