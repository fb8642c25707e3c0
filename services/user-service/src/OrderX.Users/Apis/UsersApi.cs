using System.Net.Mail;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OrderX.ServiceDefaults;
using OrderX.Users.Data;

namespace OrderX.Users.Apis;

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users");
        users.MapPost("/", CreateUser);
        users.MapGet("/{id:guid}", GetUser);
        return app;
    }

    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> CreateUser(
        CreateUserRequest request, UsersDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var email = request.Email?.Trim() ?? "";
        var name = request.Name?.Trim() ?? "";
        if (email.Length is 0 or > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            errors.Add("email", "A valid e-mail address of at most 254 characters is required.");
        if (name.Length is 0 or > 200 || name.Any(char.IsControl))
            errors.Add("name", "A name of 1 to 200 printable characters is required.");
        if (errors.Any)
            return errors.ToResult();

        var normalized = email.ToLowerInvariant();
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
            return Problems.Conflict($"A user with e-mail '{email}' already exists.");

        var user = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            NormalizedEmail = normalized,
            Name = name,
            CreatedAt = DateTime.UtcNow,
        };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Lost a race with a concurrent registration of the same address: the unique index decided.
            return Problems.Conflict($"A user with e-mail '{email}' already exists.");
        }
        return TypedResults.Created($"/api/users/{user.Id}", UserDto.From(user));
    }

    public static async Task<Results<Ok<UserDto>, ProblemHttpResult>> GetUser(Guid id, UsersDbContext db, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user is null ? Problems.NotFound($"User {id} does not exist.") : TypedResults.Ok(UserDto.From(user));
    }
}
