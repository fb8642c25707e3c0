using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace OrderX.ServiceDefaults.Auth;

public static class AuthenticationExtensions
{
    // Long enough for a customer's burst of requests, short against the access token's 15 minutes.
    private static readonly TimeSpan RememberValidTokens = TimeSpan.FromMinutes(1);
    private const int MaxRememberedTokens = 10_000;

    /// <summary>
    /// Bearer tokens checked here, not only at the gateway: signature, issuer, audience and lifetime. The key is
    /// <paramref name="localKey"/> (the issuer's own), else <c>Auth:ValidationKey</c>, else the user service's
    /// published keys. Failures answer 401/403 as ProblemDetails.
    /// </summary>
    public static WebApplicationBuilder AddOrderXAuthentication(this WebApplicationBuilder builder, Func<IServiceProvider, SecurityKey>? localKey = null)
    {
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        var issuerUrl = OrderXService.User.Url(builder.Configuration);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IServiceProvider>((options, auth, services) =>
            {
                var settings = auth.Value;
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = OrderXClaims.Subject,
                    RoleClaimType = OrderXClaims.Role,
                };
                if (localKey is not null)
                    options.TokenValidationParameters.IssuerSigningKey = localKey(services);
                else if (!string.IsNullOrWhiteSpace(settings.ValidationKey))
                    options.TokenValidationParameters.IssuerSigningKey = RsaKeys.FromPem(settings.ValidationKey);
                else
                {
                    options.MetadataAddress = new Uri(issuerUrl, "/.well-known/openid-configuration").ToString();
                    options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                }
                var clock = services.GetService<TimeProvider>() ?? TimeProvider.System;
                var handlers = options.TokenHandlers.Select(h => h as ValidatedTokenCache ?? new ValidatedTokenCache(h, clock, RememberValidTokens, MaxRememberedTokens)).ToList();
                options.TokenHandlers.Clear();
                foreach (var handler in handlers)
                    options.TokenHandlers.Add(handler);
                options.Events = new JwtBearerEvents
                {
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        var detail = context.AuthenticateFailure is null
                            ? "Sign in first: send 'Authorization: Bearer <access token>' (POST /api/users/login)."
                            : "The access token is invalid or expired; refresh it (POST /api/users/refresh) or sign in again.";
                        context.Response.Headers.WWWAuthenticate = "Bearer";
                        await Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Not signed in", detail);
                    },
                    OnForbidden = context => Problems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                        "This needs an administrator's account."),
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OrderXPolicies.Customer, p => p.RequireAuthenticatedUser())
            .AddPolicy(OrderXPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(OrderXRoles.Admin));
        return builder;
    }
}
