using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using OrderX.Web.Backend;
using OrderX.Web.Cart;

namespace OrderX.Web.Apis;

public sealed record CartLineForm(Guid? ProductId, int? Quantity, string? ReturnUrl);

/// <summary>The cart's and the checkout's posts.</summary>
public static class CartActions
{
    public static IEndpointRouteBuilder MapCartActions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cart/add", Add);
        app.MapPost("/cart/update", Update);
        app.MapPost("/cart/checkout", CheckoutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }

    public static IResult Add([FromForm] CartLineForm form, HttpContext context)
    {
        var returnUrl = LocalUrls.Safe(form.ReturnUrl);
        if (form.ProductId is not { } productId || form.Quantity is not (>= 1 and <= ShoppingCart.MaxQuantity) and not null)
        {
            Flash.Set(context, $"Choose a quantity between 1 and {ShoppingCart.MaxQuantity}.", isError: true);
            return Results.LocalRedirect(returnUrl);
        }
        var cart = CartCookie.Read(context);
        if (cart.Lines.Count >= ShoppingCart.MaxLines && cart.Lines.All(l => l.ProductId != productId))
        {
            Flash.Set(context, $"A cart holds at most {ShoppingCart.MaxLines} different products.", isError: true);
            return Results.LocalRedirect(returnUrl);
        }
        CartCookie.Write(context, cart.Add(productId, form.Quantity ?? 1));
        Flash.Set(context, "Added to your cart.");
        return Results.LocalRedirect(returnUrl);
    }

    public static IResult Update([FromForm] CartLineForm form, HttpContext context)
    {
        if (form.ProductId is { } productId && form.Quantity is >= 0 and <= ShoppingCart.MaxQuantity)
            CartCookie.Write(context, CartCookie.Read(context).Set(productId, form.Quantity.Value));
        else
            Flash.Set(context, $"Choose a quantity between 0 and {ShoppingCart.MaxQuantity}.", isError: true);
        return Results.LocalRedirect("/cart");
    }

    /// <summary>Places the cart as an order, with the cart's id as the idempotency key, and shows it being tracked.</summary>
    public static async Task<IResult> CheckoutAsync(HttpContext context, ClaimsPrincipal user, OrdersClient orders, CancellationToken cancellationToken)
    {
        if (user.Identity?.IsAuthenticated != true)
            return Results.LocalRedirect($"/account/signin?returnUrl={Uri.EscapeDataString("/cart")}");
        var cart = CartCookie.Read(context);
        if (cart.Lines.Count == 0)
        {
            Flash.Set(context, "Your cart is empty.", isError: true);
            return Results.LocalRedirect("/cart");
        }
        var accessToken = await Session.AccessTokenAsync(context);
        ApiResult<OrderAccepted> placed;
        try
        {
            placed = await orders.PlaceAsync(cart.Lines.Select(l => (l.ProductId, l.Quantity)), $"cart-{cart.Id:N}", accessToken, cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or Polly.ExecutionRejectedException)
        {
            Flash.Set(context, "The order service did not answer; your cart is kept. Try again in a moment.", isError: true);
            return Results.LocalRedirect("/cart");
        }
        if (placed.Value is not { } accepted)
        {
            Flash.Set(context, placed.Problem!.Status == 401 ? "Your session ended; sign in again." : placed.Problem.Explain(), isError: true);
            return Results.LocalRedirect("/cart");
        }
        CartCookie.Write(context, ShoppingCart.Empty());
        return Results.LocalRedirect($"/orders/{accepted.OrderId}");
    }
}
