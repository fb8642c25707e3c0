using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace OrderX.Web.Cart;

/// <summary>
/// The cart travels in a cookie of its own: no server state, so any instance of the web front serves any request,
/// and it survives signing in. A cookie that cannot be read is an empty cart, never an error.
/// </summary>
public static class CartCookie
{
    public const string Name = "orderx-cart";

    public static ShoppingCart Read(HttpContext context) => Decode(context.Request.Cookies[Name]);

    public static void Write(HttpContext context, ShoppingCart cart) => context.Response.Cookies.Append(Name, Encode(cart), new CookieOptions
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        IsEssential = true,
        MaxAge = TimeSpan.FromDays(30),
        Path = "/",
    });

    public static string Encode(ShoppingCart cart) =>
        WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(cart, JsonSerializerOptions.Web)));

    public static ShoppingCart Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 8192)
            return ShoppingCart.Empty();
        try
        {
            var cart = JsonSerializer.Deserialize<ShoppingCart>(WebEncoders.Base64UrlDecode(value), JsonSerializerOptions.Web);
            if (cart is null || cart.Id == Guid.Empty || cart.Lines is null)
                return ShoppingCart.Empty();
            // Whatever the cookie says, the lines obey the cart's own rules.
            return cart.Lines.Where(l => l is not null && l.ProductId != Guid.Empty && l.Quantity > 0).Take(ShoppingCart.MaxLines)
                .Aggregate(cart with { Lines = [] }, (kept, line) => kept.Set(line.ProductId, line.Quantity));
        }
        catch (Exception error) when (error is FormatException or JsonException or ArgumentException)
        {
            return ShoppingCart.Empty();
        }
    }
}
