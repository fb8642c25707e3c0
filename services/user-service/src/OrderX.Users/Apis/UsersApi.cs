using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;
using OrderX.Users.Data;

namespace OrderX.Users.Apis;

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").RequireAuthorization(OrderXPolicies.Customer);
        users.MapGet("/me", Me);
        users.MapGet("/{id:guid}", GetUser);
        return app;
    }

    public static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Me(ClaimsPrincipal caller, UsersDbContext db, CancellationToken cancellationToken) =>
        await GetUser(caller.UserId(), caller, db, cancellationToken);

    /// <summary>Someone else's account answers 404, exactly like one that does not exist; admins see all.</summary>
    public static async Task<Results<Ok<UserDto>, ProblemHttpResult>> GetUser(Guid id, ClaimsPrincipal caller, UsersDbContext db, CancellationToken cancellationToken)
    {
        var user = caller.MaySee(id) ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken) : null;
        return user is null ? Problems.NotFound($"User {id} does not exist.") : TypedResults.Ok(UserDto.From(user));
    }
}
