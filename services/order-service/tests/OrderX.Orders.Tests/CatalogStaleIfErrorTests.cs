using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using OrderX.Orders.Clients;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

/// <summary>
/// A restarted product service used to turn every order into a 503 for as long as it was away (the failure suite
/// measured 8 s of them per restart): the order service now prices from what it read recently.
/// </summary>
public sealed class CatalogStaleIfErrorTests
{
    private sealed class ProductService(ProductInfo product) : HttpMessageHandler
    {
        public volatile bool Up = true;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Up ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { items = new[] { product } }) })
               : throw new HttpRequestException("Connection refused (stub)");
    }

    private readonly ProductInfo _product = new(Guid.NewGuid(), "Handbook", 12.5m, "EUR");
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));

    [Fact]
    public async Task While_the_product_service_does_not_answer_orders_are_priced_from_products_read_in_the_last_minutes()
    {
        var service = new ProductService(_product);
        var options = new CatalogCacheOptions();
        var catalog = new ProductCatalog(new HttpClient(service) { BaseAddress = new Uri("http://product") }, new CatalogCache(Options.Create(options), _clock));
        Assert.Equal([_product], await catalog.GetAsync([_product.Id], default));

        service.Up = false;
        _clock.Advance(options.Lifetime + TimeSpan.FromSeconds(1));
        Assert.Equal([_product], await catalog.GetAsync([_product.Id], default));

        _clock.Advance(options.StaleIfError);
        await Assert.ThrowsAsync<HttpRequestException>(() => catalog.GetAsync([_product.Id], default));
    }

    [Fact]
    public async Task A_product_never_read_is_not_invented_when_the_product_service_does_not_answer()
    {
        var service = new ProductService(_product) { Up = false };
        var catalog = new ProductCatalog(new HttpClient(service) { BaseAddress = new Uri("http://product") },
            new CatalogCache(Options.Create(new CatalogCacheOptions()), _clock));

        await Assert.ThrowsAsync<HttpRequestException>(() => catalog.GetAsync([_product.Id], default));
    }
}
