using OrderX.Users.Data;

namespace OrderX.Users.Apis;

public sealed record UserDto(Guid Id, string Email, string Name, string Role, DateTime CreatedAt)
{
    public static UserDto From(UserAccount user) => new(user.Id, user.Email, user.Name, user.Role, user.CreatedAt);
}

public sealed record RegisterRequest(string? Email, string? Name, string? Password);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);
