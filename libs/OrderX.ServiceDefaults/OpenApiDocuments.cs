using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace OrderX.ServiceDefaults;

/// <summary>
/// Each service's OpenAPI document, at <c>/openapi/v1.json</c> on its own port; the gateway serves it as
/// <c>/openapi/&lt;service&gt;.json</c> and the reference at <c>/docs</c>. Paths are the public ones (the gateway forwards
/// them unchanged), so "try it" works through the gateway. Beyond what the endpoints declare, every operation gets the
/// answers the platform gives it: 401/403 where a token is required, 404 for an id that is not the caller's, 429 from
/// the gateway's limits and 503 while a dependency is down, all as ProblemDetails.
/// </summary>
public static class OpenApiDocuments
{
    public const string Path = "/openapi/v1.json";

    public const string BearerScheme = "Bearer";

    /// <summary>Marks an endpoint that honours an <c>Idempotency-Key</c> header.</summary>
    public sealed class IdempotentAttribute : Attribute
    {
        public int MaxKeyLength { get; init; }
    }

    public static WebApplicationBuilder AddOrderXOpenApi(this WebApplicationBuilder builder, OrderXService service)
    {
        builder.Services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = $"OrderX {service.Name} service",
                    Version = "v1",
                    Description = $"The {service.Name} service's part of the OrderX API, reached through the gateway. Errors are RFC 9457 ProblemDetails.",
                };
                // A group's root route ("/order" + "/") reads "/order/": documented as the clients call it.
                foreach (var (path, item) in document.Paths.Where(p => p.Key.Length > 1 && p.Key.EndsWith('/')).ToList())
                {
                    document.Paths.Remove(path);
                    document.Paths[path.TrimEnd('/')] = item;
                }
                document.Servers = [new OpenApiServer { Url = "/", Description = "the gateway this document was read from" }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "The access token from POST /api/users/login (or /refresh).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
                operation.Responses ??= new OpenApiResponses();
                void Answer(int status, string description)
                {
                    if (operation.Responses.ContainsKey($"{status}"))
                        return;
                    operation.Responses[$"{status}"] = new OpenApiResponse
                    {
                        Description = description,
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                    };
                }
                var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
                if (secured)
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                    Answer(StatusCodes.Status401Unauthorized, "No valid access token.");
                    Answer(StatusCodes.Status403Forbidden, "The token's role may not do this.");
                }
                if (context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
                    Answer(StatusCodes.Status404NotFound, "No such resource, or not the caller's.");
                if (metadata.OfType<IdempotentAttribute>().FirstOrDefault() is { } idempotent)
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = "Idempotency-Key",
                        In = ParameterLocation.Header,
                        Required = false,
                        Description = "A key of the caller's choosing (printable ASCII): a retry with the same key and body creates nothing new and gets the first answer again; the same key with another order is refused with 422.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = idempotent.MaxKeyLength },
                    });
                    Answer(StatusCodes.Status409Conflict, "The first request with this Idempotency-Key is still being handled.");
                    Answer(StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was used with another body.");
                }
                Answer(StatusCodes.Status429TooManyRequests, "Over the gateway's rate limit; Retry-After says when to try again.");
                Answer(StatusCodes.Status503ServiceUnavailable, "A dependency (database, another service) is down; nothing was done; Retry-After says when to try again.");
            });
        });
        return builder;
    }

    /// <summary>The document, before authentication like <c>/metrics</c>: it describes the API to anyone who may call it.</summary>
    public static WebApplication MapOrderXOpenApi(this WebApplication app)
    {
        app.MapOpenApi(Path).AllowAnonymous();
        return app;
    }
}
