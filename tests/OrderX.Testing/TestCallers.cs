using System.Security.Claims;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.Testing;

/// <summary>Signed-in callers as the services see them after checking a token.</summary>
public static class TestCallers
{
    public static ClaimsPrincipal Customer(Guid id, string email = "customer@example.com") => Principal(id, email, OrderXRoles.Customer);

    public static ClaimsPrincipal Admin() => Principal(Guid.NewGuid(), "admin@example.com", OrderXRoles.Admin);

    private static ClaimsPrincipal Principal(Guid id, string email, string role) => new(new ClaimsIdentity(
    [
        new Claim(OrderXClaims.Subject, id.ToString()),
        new Claim(OrderXClaims.Email, email),
        new Claim(OrderXClaims.Role, role),
    ], authenticationType: "test", nameType: OrderXClaims.Subject, roleType: OrderXClaims.Role));
}
