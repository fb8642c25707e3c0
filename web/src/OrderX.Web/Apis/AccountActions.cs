using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using OrderX.Web.Backend;

namespace OrderX.Web.Apis;

public sealed record SignInForm(string? Email, string? Password, string? ReturnUrl);

public sealed record RegisterForm(string? Name, string? Email, string? Password, string? ReturnUrl);

/// <summary>The account forms' posts: each answers with a redirect (post, redirect, get), never a page of its own.</summary>
public static class AccountActions
{
    public static IEndpointRouteBuilder MapAccountActions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/signin", SignInAsync);
        app.MapPost("/account/register", RegisterAsync);
        // No form fields, yet a post from another site must not sign the customer out.
        app.MapPost("/account/signout", SignOutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }

    public static async Task<IResult> SignInAsync([FromForm] SignInForm form, HttpContext context, AccountsClient accounts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var returnUrl = LocalUrls.Safe(form.ReturnUrl);
        var login = await accounts.LoginAsync(form.Email?.Trim() ?? "", form.Password ?? "", cancellationToken);
        if (login.Value is not { } pair)
        {
            Flash.Set(context, login.Problem!.Status is 400 or 401 ? "The e-mail address or the password is wrong." : login.Problem.Explain(), isError: true);
            return Results.LocalRedirect($"/account/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }
        await context.SignInAsync(SessionTokens.Scheme, SessionTokens.Principal(pair), SessionTokens.Properties(pair, clock.GetUtcNow()));
        return Results.LocalRedirect(returnUrl);
    }

    public static async Task<IResult> RegisterAsync([FromForm] RegisterForm form, HttpContext context, AccountsClient accounts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var returnUrl = LocalUrls.Safe(form.ReturnUrl);
        var email = form.Email?.Trim() ?? "";
        var registered = await accounts.RegisterAsync(email, form.Name?.Trim() ?? "", form.Password ?? "", cancellationToken);
        if (!registered.Succeeded)
        {
            Flash.Set(context, registered.Problem!.Status == 409 ? "An account with this e-mail address exists already: sign in instead." : registered.Problem.Explain(), isError: true);
            return Results.LocalRedirect($"/account/register?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }
        var login = await accounts.LoginAsync(email, form.Password ?? "", cancellationToken);
        if (login.Value is not { } pair)
            return Results.LocalRedirect($"/account/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await context.SignInAsync(SessionTokens.Scheme, SessionTokens.Principal(pair), SessionTokens.Properties(pair, clock.GetUtcNow()));
        Flash.Set(context, "Welcome! Your account is ready.");
        return Results.LocalRedirect(returnUrl);
    }

    public static async Task<IResult> SignOutAsync(HttpContext context, AccountsClient accounts, CancellationToken cancellationToken)
    {
        var session = await context.AuthenticateAsync(SessionTokens.Scheme);
        if (session.Properties is { } properties && SessionTokens.RefreshToken(properties) is { } refreshToken)
        {
            try
            {
                await accounts.LogoutAsync(refreshToken, cancellationToken);
            }
            catch (HttpRequestException)
            {
                // The cookie goes anyway; the refresh token expires on its own.
            }
        }
        await context.SignOutAsync(SessionTokens.Scheme);
        Flash.Set(context, "You are signed out.");
        return Results.LocalRedirect("/");
    }
}
