namespace OrderX.Web.Apis;

/// <summary>
/// A one-line message for the next page after a form's redirect ("Added to your cart", "Wrong password"), carried
/// in a short-lived cookie and shown once.
/// </summary>
public static class Flash
{
    private const string Cookie = "orderx-flash";
    private const string ItemKey = "orderx.flash";
    private const int MaxLength = 500;

    public static void Set(HttpContext context, string message, bool isError = false) =>
        context.Response.Cookies.Append(Cookie, (isError ? "!" : "") + Clip(message), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            MaxAge = TimeSpan.FromMinutes(1),
        });

    /// <summary>The message for this page, if the last redirect left one: (text, is an error).</summary>
    public static (string Text, bool IsError)? Current(HttpContext context) =>
        context.Items[ItemKey] is string value ? (value.TrimStart('!'), value.StartsWith('!')) : null;

    /// <summary>Takes the message off its cookie before a page renders, so it shows once.</summary>
    public static IApplicationBuilder UseFlash(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Cookies[Cookie] is { Length: > 0 } value)
        {
            context.Items[ItemKey] = Clip(value);
            context.Response.Cookies.Delete(Cookie);
        }
        return next(context);
    });

    private static string Clip(string text) => text.Length <= MaxLength ? text : text[..MaxLength];
}
