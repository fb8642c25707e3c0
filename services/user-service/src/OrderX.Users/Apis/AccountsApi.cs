using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;
using OrderX.Users.Data;
using OrderX.Users.Identity;

namespace OrderX.Users.Apis;

/// <summary>Registration and sign-in: the user service is the token issuer.</summary>
public static class AccountsApi
{
    // Verified against when the e-mail is unknown, so that both answers take the same time.
    private static readonly UserAccount Nobody = new() { Email = "", NormalizedEmail = "", Name = "" };
    private static readonly string NobodyHash = new PasswordHasher<UserAccount>().HashPassword(Nobody, Guid.NewGuid().ToString());

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users");
        users.MapPost("/register", Register);
        users.MapPost("/login", Login);
        users.MapPost("/refresh", Refresh);
        users.MapPost("/logout", Logout);
        return app;
    }

    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, UsersDbContext db, IPasswordHasher<UserAccount> hasher, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var email = TextRules.CleanEmail(request.Email);
        var name = TextRules.CleanName(request.Name, 200);
        if (email is null)
            errors.Add("email", "A valid e-mail address (ASCII, at most 254 characters) is required.");
        if (name is null)
            errors.Add("name", "A name of 1 to 200 letters, digits, spaces and ordinary punctuation is required.");
        if (PasswordPolicy.Check(request.Password, email ?? "") is { } weak)
            errors.Add("password", weak);
        if (errors.Any)
            return errors.ToResult();

        var normalized = email!.ToLowerInvariant();
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
            return Problems.Conflict($"An account with e-mail '{email}' already exists.");
        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            NormalizedEmail = normalized,
            Name = name!,
            Role = OrderXRoles.Customer,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Lost a race with a concurrent registration of the same address: the unique index decided.
            return Problems.Conflict($"An account with e-mail '{email}' already exists.");
        }
        return TypedResults.Created($"/api/users/{user.Id}", UserDto.From(user));
    }

    public static async Task<Results<Ok<TokenPair>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, UsersDbContext db, IPasswordHasher<UserAccount> hasher, TokenIssuer tokens, LoginThrottling throttling,
        HttpContext context, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 254 || string.IsNullOrEmpty(request.Password)
            || request.Password.Length > PasswordPolicy.MaxLength)
            return ValidationErrors.Single("credentials", "email and password are required.");
        var normalized = request.Email.Trim().ToLowerInvariant();
        var accountKey = LoginThrottling.AccountKey(normalized);
        var addressKey = LoginThrottling.AddressKey(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (await throttling.BlockedForAsync(accountKey, addressKey, cancellationToken) is { } wait)
        {
            context.Response.Headers.RetryAfter = $"{Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))}";
            return TypedResults.Problem("Too many failed sign-ins; wait before trying again.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        var verdict = user?.PasswordHash is { } hash
            ? hasher.VerifyHashedPassword(user, hash, request.Password)
            : Fail(hasher.VerifyHashedPassword(Nobody, NobodyHash, request.Password));
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            await throttling.FailedAsync(accountKey, addressKey, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            loggers.CreateLogger(typeof(AccountsApi)).LogInformation("Failed sign-in from {Address}", addressKey);
            return TypedResults.Problem("The e-mail or password is wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            user.PasswordHash = hasher.HashPassword(user, request.Password);
        await throttling.SucceededAsync(accountKey, cancellationToken);
        var pair = tokens.Issue(user);
        await db.SaveChangesAsync(cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(pair);
    }

    /// <summary>Rotates: the refresh token presented is spent, a new pair is returned.</summary>
    public static async Task<Results<Ok<TokenPair>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, UsersDbContext db, TokenIssuer tokens, HttpContext context, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken) || request.RefreshToken.Length > 200)
            return ValidationErrors.Single("refreshToken", "refreshToken is required.");
        var (pair, reuse) = await tokens.RefreshAsync(request.RefreshToken, cancellationToken);
        if (reuse)
            loggers.CreateLogger(typeof(AccountsApi)).LogWarning("A spent refresh token was presented again; its whole family is revoked");
        if (pair is null)
            return InvalidRefreshToken();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Spent by a concurrent request a moment ago.
            return InvalidRefreshToken();
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(pair);
    }

    /// <summary>Revokes the refresh token's family. Always 204: the answer says nothing about the token.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> Logout(RefreshRequest request, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken) || request.RefreshToken.Length > 200)
            return ValidationErrors.Single("refreshToken", "refreshToken is required.");
        await tokens.RevokeAsync(request.RefreshToken, cancellationToken);
        return TypedResults.NoContent();
    }

    private static PasswordVerificationResult Fail(PasswordVerificationResult _) => PasswordVerificationResult.Failed;

    private static ProblemHttpResult InvalidRefreshToken() => TypedResults.Problem(
        "The refresh token is invalid, expired or revoked; sign in again.", statusCode: StatusCodes.Status401Unauthorized, title: "Refresh failed");
}
