using System.Net;
using System.Net.Http.Json;

namespace OrderX.Orders.Clients;

public sealed record CustomerInfo(Guid Id, string Email, string Name);

/// <summary>Reads customers from the user service over HTTP.</summary>
public sealed class UserDirectory(HttpClient http)
{
    /// <summary>The customer, or null when the user service says it does not exist.</summary>
    public async Task<CustomerInfo?> FindAsync(Guid userId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/users/{userId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<CustomerInfo>(cancellationToken);
    }
}
