namespace OrderX.Web.Apis;

public static class LocalUrls
{
    /// <summary><paramref name="url"/> if it is a path on this site, else the home page: a form never redirects away.</summary>
    public static string Safe(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
