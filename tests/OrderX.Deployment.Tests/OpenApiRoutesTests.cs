using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using OrderX.Gateway;
using OrderX.ServiceDefaults;
using OrderX.Testing;

namespace OrderX.Deployment.Tests;

/// <summary>
/// Each service's OpenAPI document, generated from its app as built for production, against the gateway's route
/// table: every public route is documented, and every documented operation is one the gateway routes to that service.
/// </summary>
public sealed class OpenApiRoutesTests
{
    public static TheoryData<string> Backends() => [.. OrderXService.Backends.Select(s => s.Name)];

    private static async Task<OpenApiDocument> DocumentAsync(string service)
    {
        var data = Directory.CreateTempSubdirectory("orderx-openapi-");
        try
        {
            // Started (embedded defaults: SQLite under a folder of its own, the in-process bus, a free port): its
            // endpoints exist only once the app runs.
            await using var app = ServiceHosts.All[service].Build([
                $"--Data:Path={data.FullName}", $"--Ports:{service}={FreePorts.Take(1)[0]}", $"--Http2Ports:{service}=0", "--Logging:LogLevel:Default=Warning"]);
            await app.StartAsync();
            try
            {
                return await app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync();
            }
            finally
            {
                await app.StopAsync();
            }
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static IEnumerable<(string Method, string Path, OpenApiOperation Operation)> Operations(OpenApiDocument document) =>
        document.Paths.SelectMany(path => (path.Value.Operations ?? []).Select(op => (op.Key.Method.ToUpperInvariant(), path.Key, op.Value)));

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Every_public_route_is_documented_and_every_documented_operation_is_routed_to_its_service(string service)
    {
        var operations = Operations(await DocumentAsync(service)).ToList();
        var routes = GatewayRoutes.PublicRoutes.ToList();

        Assert.NotEmpty(operations);
        foreach (var (method, path, _) in operations)
        {
            var route = routes.FirstOrDefault(r => Matches(r.Path, path) && (r.Methods is null || r.Methods.Contains(method)));
            Assert.True(route.Path is not null, $"{method} {path} is documented by the {service} service but no gateway route takes it");
            Assert.Equal(service, route.Service.Name);
        }
        foreach (var route in routes.Where(r => r.Service.Name == service))
            Assert.True(operations.Any(o => Matches(route.Path, o.Path) && (route.Methods is null || route.Methods.Contains(o.Method))),
                $"the gateway routes {route.Path} to the {service} service, whose document has nothing there");
    }

    [Fact]
    public async Task Placing_an_order_is_documented_with_its_body_answers_token_and_idempotency_key()
    {
        var document = await DocumentAsync("order");
        var place = document.Paths["/order"].Operations![HttpMethod.Post];

        Assert.NotNull(place.RequestBody?.Content?["application/json"].Schema);
        Assert.NotNull(place.Responses!["202"].Content?["application/json"].Schema);
        foreach (var status in new[] { "400", "401", "403", "409", "422", "429", "503" })
            Assert.Contains(status, place.Responses.Keys);
        Assert.Contains("application/problem+json", place.Responses["503"].Content!.Keys);
        var key = Assert.Single(place.Parameters!, p => p.Name == "Idempotency-Key");
        Assert.Equal(ParameterLocation.Header, key.In);
        Assert.False(key.Required);
        Assert.Equal("bearer", document.Components!.SecuritySchemes![OpenApiDocuments.BearerScheme].Scheme);
        Assert.NotEmpty(place.Security!);
        Assert.Equal("/", Assert.Single(document.Servers!).Url);
    }

    [Fact]
    public async Task The_open_catalog_asks_for_no_token_and_its_writes_do()
    {
        var document = await DocumentAsync("product");

        Assert.True(document.Paths["/api/products"].Operations![HttpMethod.Get].Security is null or { Count: 0 });
        Assert.NotEmpty(document.Paths["/api/products"].Operations![HttpMethod.Post].Security!);
        Assert.Contains("404", document.Paths["/api/products/{id}"].Operations![HttpMethod.Get].Responses!.Keys);
    }

    // A gateway pattern (literal segments, {x} for one segment, {**x} for the rest) against a documented path.
    private static bool Matches(string pattern, string path)
    {
        var wanted = pattern.Trim('/').Split('/');
        var actual = path.Trim('/').Split('/');
        for (var i = 0; i < wanted.Length; i++)
        {
            if (wanted[i].StartsWith("{**", StringComparison.Ordinal))
                return true;
            if (i >= actual.Length)
                return false;
            if (!wanted[i].StartsWith('{') && !string.Equals(wanted[i], actual[i], StringComparison.OrdinalIgnoreCase))
                return false;
        }
        return wanted.Length == actual.Length;
    }
}
