using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderX.Chaos;

/// <summary>What a scripted order asks for, and so how it should end.</summary>
public enum Scenario
{
    /// <summary>A product in plenty: paid.</summary>
    Regular,
    /// <summary>Above the card limit: declined, stock released.</summary>
    CardLimit,
    /// <summary>A product with a handful of units: most are out of stock, and a charge already taken is refunded.</summary>
    Scarce,
    /// <summary>Placed, then cancelled by the customer at once: cancelled unless it was paid first.</summary>
    CustomerCancels,
}

public sealed record ShopProduct(Guid Id, decimal Price, int Stock);

public sealed class Customer(string email, string password)
{
    public string Email { get; } = email;
    public string Password { get; } = password;
    public string AccessToken { get; set; } = "";
}

/// <summary>The run's catalog and customers, made through the gateway by its administrator.</summary>
public sealed class Shop
{
    private const string Password = "chaos correct horse battery";

    public required IReadOnlyDictionary<Scenario, ShopProduct> Products { get; init; }
    public required IReadOnlyList<Customer> Customers { get; init; }

    public static async Task<Shop> CreateAsync(HttpClient gateway, ChaosDeployment deployment, int customers)
    {
        var adminToken = await SignInAsync(gateway, ChaosDeployment.AdminEmail, deployment.AdminPassword);
        async Task<ShopProduct> Product(string name, decimal price, int stock)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/products") { Content = JsonContent.Create(new { name, price, stock }) };
            request.Headers.Authorization = new("Bearer", adminToken);
            using var response = await gateway.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"creating product {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return new ShopProduct((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), price, stock);
        }
        var products = new Dictionary<Scenario, ShopProduct>
        {
            [Scenario.Regular] = await Product("Chaos regular", 12.50m, 1_000_000),
            // Above the payment service's default card limit (Payment:DeclineAbove, 1000).
            [Scenario.CardLimit] = await Product("Chaos card-limit", 1_500m, 1_000_000),
            [Scenario.Scarce] = await Product("Chaos scarce", 20m, 6),
        };
        products[Scenario.CustomerCancels] = products[Scenario.Regular];

        var accounts = new List<Customer>();
        for (var i = 0; i < customers; i++)
        {
            var customer = new Customer($"chaos-{Guid.NewGuid():N}@example.com", Password);
            using var response = await gateway.PostAsJsonAsync("/api/users/register", new { email = customer.Email, name = $"Chaos customer {i}", password = Password });
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"registering a customer: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            customer.AccessToken = await SignInAsync(gateway, customer.Email, Password);
            accounts.Add(customer);
        }
        return new Shop { Products = products, Customers = accounts };
    }

    public static async Task<string> SignInAsync(HttpClient gateway, string email, string password)
    {
        using var response = await gateway.PostAsJsonAsync("/api/users/login", new { email, password });
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"sign-in of {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}", null, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
